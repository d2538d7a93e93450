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
    assertRejected(valid().shards(2).mode(TrainingMode.ASYNC)
        .optimizer("adam", Map.of("global_clipnorm", 1.0)), "optimizer.global_clipnorm");
    assertThrows(IllegalArgumentException.class,
        () -> valid().optimizer("nosuchoptimizer", Map.of()).conclude());
    assertThrows(IllegalArgumentException.class,
        () -> valid().optimizer("adam", Map.of("beta_1", "0.9")));
  }

  @Test
  void clippingKeysAreValidatedByName() {
    assertRejected(valid().mode(TrainingMode.AVERAGING).optimizer("sgd", Map.of("clipvalue", 1.0)),
        "optimizer.clipvalue");
    assertRejected(valid().mode(TrainingMode.AVERAGING).optimizer("sgd", Map.of("clipnorm", 1.0)),
        "optimizer.clipnorm");
    assertRejected(valid().optimizer("sgd", Map.of("clipnorm", 1.0, "clipvalue", 1.0)),
        "optimizer.clipvalue");
    assertRejected(valid().shards(2).optimizer("sgd", Map.of("clipnorm", 1.0)), "optimizer.clipnorm");
    assertRejected(valid().shards(2).mode(TrainingMode.ASYNC).variableRanges(new int[] {0, 4, 4, 10})
        .optimizer("sgd", Map.of("global_clipnorm", 1.0)), "optimizer.global_clipnorm");
    assertEquals(io.sparkeras.core.optim.FlatOptimizer.Clipping.GLOBAL_NORM, valid().shards(2)
        .optimizer("sgd", Map.of("global_clipnorm", 1.0)).conclude().clipping(), "sync: exchanged");
    assertRejected(valid().optimizer("sgd", Map.of("clipvalue", Double.NaN)), "optimizer.clipvalue");
    // zero or negative means unset, as in Keras
    ParameterServerContext off = valid().optimizer("sgd", Map.of("clipnorm", 0.0)).conclude();
    assertEquals(io.sparkeras.core.optim.FlatOptimizer.Clipping.NONE, off.clipping());
    ParameterServerContext v = valid().shards(2).mode(TrainingMode.ASYNC)
        .optimizer("sgd", Map.of("clipvalue", 0.5)).conclude();
    assertEquals(io.sparkeras.core.optim.FlatOptimizer.Clipping.VALUE, v.clipping());
    assertEquals(0.5f, v.clipLimit());
    ParameterServerContext g = valid().optimizer("sgd", Map.of("global_clipnorm", 2.0)).conclude();
    assertEquals(io.sparkeras.core.optim.FlatOptimizer.Clipping.GLOBAL_NORM, g.clipping());
  }

  @Test
  void variableRangesAreValidatedByName() {
    assertRejected(valid().variableRanges(new int[] {0, 4, 4}), "variableRanges");
    assertRejected(valid().variableRanges(new int[] {}), "variableRanges");
    assertRejected(valid().variableRanges(new int[] {1, 4, 4, 10}), "variableRanges"); // not from 0
    assertRejected(valid().variableRanges(new int[] {0, 4, 5, 10}), "variableRanges"); // gap
    assertRejected(valid().variableRanges(new int[] {0, 6, 4, 10}), "variableRanges"); // overlap
    assertRejected(valid().variableRanges(new int[] {4, 10, 0, 4}), "variableRanges"); // unsorted
    assertRejected(valid().variableRanges(new int[] {0, 4, 4, 4, 4, 10}), "variableRanges"); // empty
    assertRejected(valid().variableRanges(new int[] {0, 4, 4, 11}), "variableRanges"); // > count
    assertRejected(valid().variableRanges(new int[] {0, 4, 4, 8}), "variableRanges"); // short
    assertRejected(valid().shards(3).variableRanges(new int[] {0, 4, 4, 10}), "variableRanges");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> valid().variableRanges(new int[] {0, 4, 4, 11}).conclude());
    assertTrue(e.getMessage().contains("parameterCount 10"), e.getMessage());
  }

  @Test
  void shardBoundariesFallOnVariableBoundaries() {
    ParameterServerContext ctx = new ParameterServerContext().parameterCount(100)
        .jobSecret(PsTestSupport.SECRET).shards(2)
        .variableRanges(new int[] {0, 30, 30, 40, 40, 45, 45, 100}).conclude();
    assertEquals(0, ctx.shardOffset(0));
    assertEquals(45, ctx.shardOffset(1)); // {30,10,5} | {55}: the largest shard is 55, the least possible
    assertEquals(55, ctx.shardLength(1));
    assertArrayEquals(new int[] {0, 30, 30, 40, 40, 45}, ctx.localVariableRanges(0));
    assertArrayEquals(new int[] {0, 55}, ctx.localVariableRanges(1));
    // balanced: 4 equal variables on 2 shards -> 2 + 2
    assertArrayEquals(new int[] {0, 20, 40},
        ParameterServerContext.balancedBoundaries(new int[] {0, 10, 10, 20, 20, 30, 30, 40}, 2));
    // as many shards as variables: one each, even when one is huge
    assertArrayEquals(new int[] {0, 1, 2, 100},
        ParameterServerContext.balancedBoundaries(new int[] {0, 1, 1, 2, 2, 100}, 3));
    // one big variable first: the rest must still get non-empty shards
    assertArrayEquals(new int[] {0, 90, 95, 100},
        ParameterServerContext.balancedBoundaries(new int[] {0, 90, 90, 92, 92, 95, 95, 100}, 3));
    // without variable ranges: the old even split
    ParameterServerContext even = valid().shards(3).conclude();
    assertEquals(4, even.shardLength(0));
    assertEquals(3, even.shardLength(2));
    assertEquals(7, even.shardOffset(2));
    assertArrayEquals(new int[] {0, 3}, even.localVariableRanges(2));
  }
}
