package io.sparkeras.driver;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.worker.TrainSpec;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The spark.sparkeras.mode values and the row-order partitioner (no Spark session). */
class SyncModeParsingTest {
  @Test
  void parsesTheConfKey() {
    assertSame(SyncMode.SYNC, SyncMode.parse("sync"));
    assertEquals(SyncMode.async(3), SyncMode.parse("async:3"));
    assertEquals(SyncMode.averaging(8), SyncMode.parse(" Averaging:8 "));
    assertEquals(TrainingMode.ASYNC, SyncMode.parse("async:2").kind());
    assertEquals("averaging:8", SyncMode.averaging(8).toString());
    assertThrows(IllegalArgumentException.class, () -> SyncMode.parse("sometimes"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainerSettings.fromConf(new SparkConf(false).set("spark.sparkeras.mode",
            "sometimes")));
    assertTrue(e.getMessage().contains("spark.sparkeras.mode"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyncMode.averaging(0));
    assertThrows(IllegalArgumentException.class, () -> SyncMode.async(-1));
  }

  @Test
  void rowOrderDealsGlobalBatchesAcrossWorkers() {
    // 3 workers, 2 rows each per step: global batch t = rows [6t, 6t + 6)
    RowIndexPartitioner p = new RowIndexPartitioner(3, 2);
    int[] expected = {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 0};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], p.getPartition((long) i), "row " + i);
    }
  }

  @Test
  void stepsAreTheSameForEveryWorker() {
    TrainSpec spec = new TrainSpec().batching(2, 4, new long[] {30, 27});
    assertEquals(8, spec.steps()); // ceil(30 / 4)
  }
}
