package io.sparkeras.driver;

import static io.sparkeras.driver.SparkTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.worker.RowPlan;
import io.sparkeras.worker.ValidationSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row plan on local[4]: the rows every epoch's tasks read are the plan's, a shuffled sync fit
 * equals a local fit that takes the rows in the plan's order, two fits with the same seed are
 * bit-identical, and validationSplit holds out the seeded rows.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShuffledFitTest {
  static final int ROWS = 61; // not a multiple of any global batch: the last step is partial
  static final int BATCH = 8;
  static final long SEED = 20261204L;
  static SparkSession spark;
  static float[][] x;
  static int[] y;
  static Dataset<Row> df;

  @BeforeAll
  static void start() {
    Sparkeras.setRandomSeed(11);
    spark = session("ShuffledFitTest");
    Rows rows = Rows.of(spark, ROWS, 5);
    x = rows.x();
    y = rows.y();
    df = rows.df();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Each epoch's partitions hold the plan's rows of each worker, in the plan's order. */
  @Test
  void everyEpochReadsThePlansRowsInThePlansOrder() {
    for (boolean shuffle : new boolean[] {false, true}) {
      TrainingRows rows = TrainingRows.deal(spark, df.select("x", "y", "id"), 3, 2, shuffle,
          SEED, 0.2);
      RowPlan plan = rows.plan();
      assertEquals(shuffle, plan.shuffles());
      ValidationSplit split = ValidationSplit.forFit(ROWS, 0.2, SEED);
      assertEquals(split.trainingRows(), plan.rows());
      // the training rows in the training set's numbering: the DataFrame's order without the
      // held-out rows
      List<Long> trainingIds = new ArrayList<>();
      for (long i = 0; i < ROWS; i++) {
        if (!split.isValidation(i)) {
          trainingIds.add(i);
        }
      }
      for (int epoch = 0; epoch < 2; epoch++) {
        List<List<InternalRow>> parts = rows.epoch(epoch).toJavaRDD()
            .map(InternalRow::copy).glom().collect();
        assertEquals(3, parts.size());
        long[] order = plan.epochOrder(epoch);
        int[] taken = new int[3];
        int at = 0;
        while (at < order.length) {
          for (int w = 0; w < 3; w++) {
            for (int k = 0; k < 2 && taken[w] < parts.get(w).size(); k++) {
              InternalRow r = parts.get(w).get(taken[w]++);
              long index = r.getLong(3);
              assertEquals(order[at++], index, "epoch " + epoch + ", worker " + w);
              assertEquals((long) trainingIds.get((int) index), r.getLong(2), "row id");
            }
          }
        }
        assertEquals(plan.rows(), at);
      }
      List<Long> held = rows.validation().select("id").as(org.apache.spark.sql.Encoders.LONG())
          .collectAsList();
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < ROWS; i++) {
        if (split.isValidation(i)) {
          expected.add(i);
        }
      }
      assertEquals(expected, held);
      // the dealt rows stay cached for the epochs, until the fit closes them
      assertEquals(1, cachedDealtRows());
      rows.close();
      assertEquals(0, cachedDealtRows());
    }
  }

  private static long cachedDealtRows() {
    return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
        .getPersistentRDDs().values().stream().filter(r -> r.name() != null && r.name().startsWith("sparkeras fit"))
        .count();
  }

  /**
   * Shuffled sync training over 1, 2 and 4 workers equals a single process that trains on the
   * rows in the order of the plan's epochs (same global batches).
   */
  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2, 4})
  void shuffledSyncEqualsALocalFitThatShufflesTheSameWay(int workers) {
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    Model unshuffled = copy(model);
    RowPlan plan = RowPlan.shuffled(ROWS, workers, BATCH / workers, SEED);
    List<Double> localLoss = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      History h = fitInOrder(local, plan.epochOrder(epoch), x, y);
      localLoss.add(h.last("loss"));
    }
    History h = SparkTrainer.of(spark, model).workers(workers).mode(SyncMode.SYNC).seed(SEED)
        .fit(df, "x", "y", FitOptions.epochs(2).batchSize(BATCH).verbose(0));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, workers + " workers");
    assertEquals(localLoss.get(1), h.last("loss"), 1e-5);
    // and the order mattered: rows in the DataFrame's order train to other weights
    fitInOrder(unshuffled, RowPlan.inOrder(ROWS, workers, BATCH / workers).epochOrder(0), x, y);
    assertFalse(Arrays.equals(unshuffled.getFlatWeights(), local.getFlatWeights()));
  }

  /** One local epoch over the rows in {@code order}, batches of BATCH, no shuffling. */
  static History fitInOrder(Model m, long[] order, float[][] xs, int[] ys) {
    float[][] ox = new float[order.length][];
    int[] oy = new int[order.length];
    for (int k = 0; k < order.length; k++) {
      ox[k] = xs[(int) order[k]];
      oy[k] = ys[(int) order[k]];
    }
    return m.fit(NDArray.of(flat(ox), order.length, FEATURES), NDArray.ofLabels(oy),
        FitOptions.epochs(1).batchSize(BATCH).shuffle(false).verbose(0));
  }

  /** Four workers (pushes summed on the server in partition order), shuffled: bit for bit. */
  @Test
  void twoFitsWithTheSameSeedEndBitIdentical() {
    Model first = classifier(new Adam(0.01));
    Model second = copy(first);
    for (Model m : List.of(first, second)) {
      SparkTrainer.of(spark, m).workers(4).seed(SEED).fit(df, "x", "y",
          FitOptions.epochs(2).batchSize(BATCH).verbose(0));
    }
    assertArrayEquals(first.getFlatWeights(), second.getFlatWeights());
    // the seed comes from Sparkeras's generator when not set
    Model third = copy(first);
    Model fourth = copy(first);
    Sparkeras.setRandomSeed(3);
    SparkTrainer.of(spark, third).workers(2).fit(df, "x", "y",
        FitOptions.epochs(1).batchSize(BATCH).verbose(0));
    Sparkeras.setRandomSeed(3);
    SparkTrainer.of(spark, fourth).workers(2).fit(df, "x", "y",
        FitOptions.epochs(1).batchSize(BATCH).verbose(0));
    assertArrayEquals(third.getFlatWeights(), fourth.getFlatWeights());
  }

  /**
   * validationSplit holds out the seeded rows: the fit trains on the others in the DataFrame's
   * order (shuffle off) and validates on the held-out ones, as a local fit given both sets.
   */
  @Test
  void validationSplitHoldsOutTheSeededRows() {
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    ValidationSplit split = ValidationSplit.forFit(ROWS, 0.25, SEED);
    List<float[]> tx = new ArrayList<>();
    List<Integer> ty = new ArrayList<>();
    List<float[]> vx = new ArrayList<>();
    List<Integer> vy = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      (split.isValidation(i) ? vx : tx).add(x[i]);
      (split.isValidation(i) ? vy : ty).add(y[i]);
    }
    History localHistory = local.fit(NDArray.of(flat(tx.toArray(new float[0][])), tx.size(),
        FEATURES), NDArray.ofLabels(ty.stream().mapToInt(Integer::intValue).toArray()),
        FitOptions.epochs(2).batchSize(BATCH).shuffle(false).verbose(0).validationData(
            NDArray.of(flat(vx.toArray(new float[0][])), vx.size(), FEATURES),
            NDArray.ofLabels(vy.stream().mapToInt(Integer::intValue).toArray())));
    History h = SparkTrainer.of(spark, model).workers(2).seed(SEED).fit(df, "x", "y",
        FitOptions.epochs(2).batchSize(BATCH).shuffle(false).validationSplit(0.25).verbose(0));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, "trained on the rest");
    assertEquals(localHistory.last("val_loss"), h.last("val_loss"), 1e-5);
    assertEquals(localHistory.last("val_accuracy"), h.last("val_accuracy"), 1e-9);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.of(spark, model).fit(df, List.of("x"), "y",
            FitOptions.epochs(1).validationSplit(0.2), df));
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
  }
}
