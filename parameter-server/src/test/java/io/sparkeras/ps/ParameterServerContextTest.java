package io.sparkeras.ps;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterServerContextTest {
  static ParameterServerContext valid() {
    return new ParameterServerContext().parameterCount(10).jobSecret(PsTestSupport.SECRET);
  }

  static void assertRejected(ParameterServerContext ctx, String key) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ctx::conclude);
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }

  @Test
  void concludeDerivesChunkSizeAndOptimizer() {
    ParameterServerContext ctx = valid().mtuLength(8192)
        .optimizer("adam", Map.of("learning_rate", 0.05, "amsgrad", true)).conclude();
    assertEquals(2016, ctx.chunkFloats());
    assertEquals(0.05f, ctx.learningRate());
    assertEquals(3, ctx.updateRule().stateSlots(), "amsgrad keeps a third slot");
    assertNotNull(ctx.aeronDirectoryName());
    assertThrows(IllegalStateException.class, () -> ctx.shards(2), "concluded contexts are frozen");
  }

  @Test
  void everySettingIsValidatedByName() {
    assertRejected(valid().bind("localhost"), "bind");
    assertRejected(valid().bind("127.0.0.1:99999"), "bind");
    assertRejected(valid().bind("127.0.0.1:1|endpoint=evil:1"), "bind");
    assertRejected(valid().shards(0), "shards");
    assertRejected(valid().shards(11), "parameterCount");
    assertRejected(valid().workers(0), "workers");
    assertRejected(valid().staleness(-1), "staleness");
    assertRejected(new ParameterServerContext().parameterCount(10).jobSecret(new byte[8]), "jobSecret");
    assertRejected(new ParameterServerContext().parameterCount(10), "jobSecret");
    assertRejected(valid().mtuLength(1000), "mtuLength");
    assertRejected(valid().mtuLength(8200), "mtuLength");
    assertRejected(valid().termLength(3 * 1024 * 1024), "termLength");
    assertRejected(valid().socketBufferLength(100), "socketBufferLength");
    assertRejected(valid().receiverWindowLength(64 * 1024 * 1024), "receiverWindowLength");
    assertRejected(valid().threshold(0f), "threshold");
    assertRejected(valid().optimizer("adam", Map.of("learning_rate", -1.0)), "optimizer.learning_rate");
    assertRejected(valid().optimizer("adam", Map.of("global_clipnorm", 1.0)), "optimizer.global_clipnorm");
    assertThrows(IllegalArgumentException.class,
        () -> valid().optimizer("nosuchoptimizer", Map.of()).conclude());
    assertThrows(IllegalArgumentException.class,
        () -> valid().optimizer("adam", Map.of("beta_1", "0.9")));
  }
}
