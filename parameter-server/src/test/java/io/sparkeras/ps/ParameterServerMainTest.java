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
  }
}
