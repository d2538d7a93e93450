package io.sparkeras.ps;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterServerMainTest {
  @TempDir
  Path tmp;

  @Test
  void parsesTheDocumentedFlags() throws Exception {
    Path secret = tmp.resolve("secret");
    Files.write(secret, "0123456789abcdef0123\n".getBytes());
    ParameterServerContext ctx = ParameterServerMain.parse(new String[] {
        "--shards", "4", "--bind", "127.0.0.1:41000", "--workers", "3", "--params", "1000",
        "--mode", "async", "--staleness", "2", "--optimizer", "adam",
        "--optimizer-config", "learning_rate=0.1,beta_1=0.8,amsgrad=true", "--job-id", "7",
        "--secret-file", secret.toString(), "--timeout-ms", "5000", "--compression", "bf16",
        "--mtu", "8192", "--dedicated-driver-threads"});
    assertEquals(4, ctx.shards());
    assertEquals("127.0.0.1:41000", ctx.bind());
    assertEquals(3, ctx.workers());
    assertEquals(1000, ctx.parameterCount());
    assertEquals(TrainingMode.ASYNC, ctx.mode());
    assertEquals(2, ctx.staleness());
    assertEquals(Map.of("learning_rate", 0.1, "beta_1", 0.8, "amsgrad", true), ctx.optimizerConfig());
    assertEquals(7, ctx.jobId());
    assertEquals(20, ctx.jobSecret().length, "trailing newline of the secret file dropped");
    assertEquals(5_000_000_000L, ctx.syncTimeoutNs());
    assertEquals(Compression.BF16, ctx.compression());
    assertEquals(8192, ctx.mtuLength());
    assertTrue(ctx.dedicatedDriverThreads());
    ctx.conclude();
  }

  @Test
  void badFlagsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterServerMain.parse(new String[] {"--bind", "127.0.0.1:1", "--shards", "x"}));
    assertTrue(e.getMessage().contains("--shards"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParameterServerMain.parse(new String[] {"--nope", "1"}));
    assertTrue(e.getMessage().contains("--nope"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParameterServerMain.keyValues("beta_1"));
    assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ParameterServerMain.parse(new String[] {
        "--bind", "127.0.0.1:1", "--variable-ranges", "0,10,x"}));
    assertTrue(e.getMessage().contains("--variable-ranges"), e.getMessage());
  }

  @Test
  void variableRangesForClipNorm() throws Exception {
    Path secret = tmp.resolve("secret");
    Files.write(secret, "0123456789abcdef0123\n".getBytes());
    ParameterServerContext ctx = ParameterServerMain.parse(new String[] {
        "--bind", "127.0.0.1:41000", "--shards", "2", "--params", "100", "--secret-file",
        secret.toString(), "--optimizer", "sgd", "--optimizer-config", "clipnorm=1.0",
        "--variable-ranges", "0,60,60,70,70,100"}).conclude();
    assertArrayEquals(new int[] {0, 60, 60, 70, 70, 100}, ctx.variableRanges());
    assertEquals(60, ctx.shardOffset(1));
  }

  @Test
  void constraintsInTheirTextForm() throws Exception {
    Path secret = tmp.resolve("secret");
    Files.write(secret, "0123456789abcdef0123\n".getBytes());
    ParameterServerContext ctx = ParameterServerMain.parse(new String[] {
        "--bind", "127.0.0.1:41000", "--shards", "2", "--params", "100", "--secret-file",
        secret.toString(), "--variable-ranges", "0,60,60,70,70,100",
        "--constraints", "0:6x10:max_norm:max_value=2,axis=0; 60:10:non_neg"}).conclude();
    assertEquals(2, ctx.constraints().size());
    assertEquals("0:6x10:max_norm:max_value=2,axis=0", ctx.constraints().get(0).toString());
    assertEquals(0, ctx.localConstraints(1).get(0).from(), "shifted to the shard's start");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterServerMain.parse(new String[] {"--bind", "127.0.0.1:1",
            "--constraints", "0:6x10:max_nrom"}));
    assertTrue(e.getMessage().contains("max_nrom"), e.getMessage());
  }
}
