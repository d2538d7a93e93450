package io.sparkeras.worker;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.XxHash64;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** The row plan: a bijection per key, balanced workers, fresh orders, Spark's hash. */
class RowPlanTest {

  @Test
  void keyedPermutationsAreBijectionsThatDependOnTheKey() {
    for (long n : new long[] {1, 2, 3, 5, 64, 1000, 4097}) {
      KeyedPermutation p = new KeyedPermutation(n, 99);
      boolean[] seen = new boolean[(int) n];
      for (long i = 0; i < n; i++) {
        long v = p.apply(i);
        assertTrue(v >= 0 && v < n, n + ": " + v);
        assertFalse(seen[(int) v], n + ": " + v + " twice");
        seen[(int) v] = true;
        assertEquals(v, new KeyedPermutation(n, 99).apply(i));
      }
    }
    KeyedPermutation a = new KeyedPermutation(1000, 1);
    KeyedPermutation b = new KeyedPermutation(1000, 2);
    int same = 0;
    for (long i = 0; i < 1000; i++) {
      same += a.apply(i) == b.apply(i) ? 1 : 0;
    }
    assertTrue(same < 20, "two keys agree on " + same + " of 1000 positions");
    assertThrows(IllegalArgumentException.class, () -> new KeyedPermutation(0, 1));
  }

  @Test
  void inOrderGlobalStepsTakeConsecutiveRows() {
    RowPlan plan = RowPlan.inOrder(60, 2, 4);
    assertArrayEquals(new long[] {32, 28}, plan.partitionRows());
    for (long i = 0; i < 60; i++) {
      assertEquals((i / 4) % 2, plan.workerOf(i));
    }
    long[] order = plan.epochOrder(5);
    for (int i = 0; i < 60; i++) {
      assertEquals(i, order[i]);
    }
  }

  @Test
  void shuffledPlansDealEvenlyOnceAndReorderEveryEpoch() {
    for (int workers : new int[] {1, 2, 3, 4}) {
      RowPlan plan = RowPlan.shuffled(61, workers, 4, 7);
      long[] sizes = plan.partitionRows();
      assertEquals(61, Arrays.stream(sizes).sum());
      long[] dealt = new long[workers];
      for (long i = 0; i < 61; i++) {
        dealt[plan.workerOf(i)]++;
      }
      assertArrayEquals(sizes, dealt, workers + " workers");
      long[] e0 = plan.epochOrder(0);
      long[] e1 = plan.epochOrder(1);
      assertTrue(isPermutation(e0, 61) && isPermutation(e1, 61));
      assertFalse(Arrays.equals(e0, e1), "epochs 0 and 1 in the same order");
      assertArrayEquals(e1, RowPlan.shuffled(61, workers, 4, 7).epochOrder(1));
      assertFalse(Arrays.equals(e1, RowPlan.shuffled(61, workers, 4, 8).epochOrder(1)));
      // global step t's rows: b rows of each worker's share (the share is the same every epoch)
      int global = 4 * workers;
      for (int at = 0; at < 61; at += global) {
        int[] perWorker = new int[workers];
        for (int k = at; k < Math.min(61, at + global); k++) {
          perWorker[plan.workerOf(e1[k])]++;
        }
        for (int w = 0; w < workers; w++) {
          long left = sizes[w] - (long) (at / global) * 4;
          assertEquals(Math.min(4, Math.max(0, left)), perWorker[w], "step at " + at);
        }
      }
    }
    // with one worker there is no deal: the order is a fresh permutation of the whole table
    assertFalse(Arrays.equals(RowPlan.shuffled(61, 1, 4, 7).epochOrder(0),
        RowPlan.inOrder(61, 1, 4).epochOrder(0)));
  }

  private static boolean isPermutation(long[] order, int n) {
    long[] sorted = order.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < n; i++) {
      if (sorted[i] != i) {
        return false;
      }
    }
    return sorted.length == n;
  }

  /** The executors sort by Spark SQL's xxhash64(seed, index): the plan computes the same. */
  @Test
  void orderKeyIsSparkSqlsXxhash64() {
    for (long seed : new long[] {0, -5, 123456789012345L}) {
      for (long i : new long[] {0, 1, 59, 1L << 40}) {
        List<Expression> args = List.of(Literal.create(seed, DataTypes.LongType),
            Literal.create(i, DataTypes.LongType));
        XxHash64 expr = new XxHash64(JavaConverters.asScalaBuffer(args).toSeq());
        assertEquals(expr.eval(null), RowPlan.orderKey(seed, i), "seed " + seed + ", row " + i);
      }
    }
  }

  @Test
  void validationSplitsHoldOutExactlyTheFractionBySeed() {
    ValidationSplit split = new ValidationSplit(60, 0.25, 3);
    assertEquals(45, split.trainingRows());
    assertEquals(15, split.validationRows());
    long held = 0;
    boolean tail = true;
    for (long i = 0; i < 60; i++) {
      held += split.isValidation(i) ? 1 : 0;
      tail &= split.isValidation(i) == (i >= 45);
    }
    assertEquals(15, held);
    assertFalse(tail, "the held-out rows are the last ones, not a seeded pick");
    assertEquals(45, split.trainingRowsIn(0, 30) + split.trainingRowsIn(30, 30));
    assertThrows(IllegalArgumentException.class, () -> new ValidationSplit(1, 0.5, 3));
  }
}
