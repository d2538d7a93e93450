package io.sparkeras.worker;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.spark.sql.catalyst.expressions.XXH64;

/**
 * Which worker trains on which row, and in which order, in every epoch of a distributed fit: a
 * function of the rows' indexes (their positions in the DataFrame, {@code [0, rows)}) and the
 * fit's seed alone, so the same data and seed give the same steps run after run, whatever Spark
 * does with tasks and blocks.
 *
 * <p>With N workers and per-worker batch b (global batch B = N × b):
 * <ul>
 * <li><b>In order</b> ({@code shuffle(false)}): row i goes to worker {@code (i / b) % N}, and each
 *     worker takes its rows by increasing index, so global step t trains on rows
 *     {@code [tB, (t+1)B)}: a local {@code fit} with {@code shuffle(false)}.</li>
 * <li><b>Shuffled</b> (the default): rows are dealt once per fit by a seeded permutation π of
 *     {@code [0, rows)} ({@link KeyedPermutation}): row i goes to worker {@code (π(i) / b) % N}.
 *     Every epoch each worker takes its rows in a fresh seeded order, by
 *     {@link #orderKey(long, long) orderKey(epochSeed(e), i)} (a 64-bit hash; ties, which need
 *     a hash collision, by i). So every epoch is a permutation of the whole table, and every
 *     global batch b rows drawn afresh from each worker's share; rows never move between
 *     workers after the deal, so no epoch pays a Spark shuffle.</li>
 * </ul>
 * Either way every worker holds {@code rows / B} full batches plus its part of the last one, so
 * every global step but the last has exactly B rows.
 *
 * <p>The order key is Spark SQL's {@code xxhash64(epochSeed, index)}; the executors sort each
 * worker's rows by it in the barrier task (Spark SQL's spilling sorter: to disk when a worker's
 * rows do not fit in memory) and {@link #epochOrder} reproduces it on one machine.
 *
 * <pre>{@code
 * RowPlan plan = RowPlan.shuffled(60_000, 2, 64, seed);
 * int w = plan.workerOf(17);                  // the worker row 17 is dealt to
 * long[] order = plan.epochOrder(3);          // epoch 3's rows in step order, for a local fit
 * }</pre>
 */
public final class RowPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The seed of Spark's {@code xxhash64}. */
  private static final long XXHASH_SEED = 42L;

  private final long rows;
  private final int workers;
  private final int perWorker;
  private final KeyedPermutation deal;
  private final long epochBase;

  private RowPlan(long rows, int workers, int perWorker, KeyedPermutation deal, long epochBase) {
    if (rows < 1) {
      throw new IllegalArgumentException("fit: the DataFrame has no rows");
    }
    if (workers < 1 || perWorker < 1) {
      throw new IllegalArgumentException("workers and per-worker batch: expected >= 1, found "
          + workers + " and " + perWorker);
    }
    this.rows = rows;
    this.workers = workers;
    this.perWorker = perWorker;
    this.deal = deal;
    this.epochBase = epochBase;
  }

  /** Rows in index order, every epoch the same ({@code shuffle(false)}). */
  public static RowPlan inOrder(long rows, int workers, int perWorker) {
    return new RowPlan(rows, workers, perWorker, null, 0);
  }

  /** Rows dealt by a permutation drawn from {@code seed}, in a fresh order every epoch. */
  public static RowPlan shuffled(long rows, int workers, int perWorker, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long dealKey = r.nextLong();
    long epochBase = r.nextLong();
    return new RowPlan(rows, workers, perWorker, new KeyedPermutation(rows, dealKey), epochBase);
  }

  public long rows() {
    return rows;
  }

  public int workers() {
    return workers;
  }

  public int perWorkerBatch() {
    return perWorker;
  }

  public boolean shuffles() {
    return deal != null;
  }

  /** The worker that row {@code i} is dealt to (for the whole fit). */
  public int workerOf(long i) {
    long position = deal == null ? i : deal.apply(i);
    return (int) ((position / perWorker) % workers);
  }

  /** Rows of each worker. */
  public long[] partitionRows() {
    long global = (long) workers * perWorker;
    long full = rows / global;
    long rest = rows % global;
    long[] out = new long[workers];
    for (int p = 0; p < workers; p++) {
      out[p] = full * perWorker + Math.min(perWorker, Math.max(0, rest - (long) p * perWorker));
    }
    return out;
  }

  /**
   * The seed of epoch {@code epoch}'s order ({@link #orderKey}); with {@code shuffle(false)}
   * unused (rows go by index).
   */
  public long epochSeed(int epoch) {
    return KeyedPermutation.mix(epochBase + 0x9E3779B97F4A7C15L * (epoch + 1L));
  }

  /**
   * The key a worker sorts its rows by in an epoch: Spark SQL's
   * {@code xxhash64(epochSeed, index)} (two bigint arguments), computed the same way here.
   */
  public static long orderKey(long epochSeed, long index) {
    return XXH64.hashLong(index, XXH64.hashLong(epochSeed, XXHASH_SEED));
  }

  /**
   * Every row index in the order epoch {@code epoch}'s global steps take them: step 0's rows of
   * worker 0, of worker 1, ..., then step 1's. A single process that trains on rows in this
   * order with batch N × b (and no shuffling of its own) takes the same global batches as the
   * distributed fit. For tests and small data ({@code rows} must fit an array).
   */
  public long[] epochOrder(int epoch) {
    if (rows > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("epochOrder: " + rows + " rows do not fit an array");
    }
    long[][] byWorker = new long[workers][];
    long[] sizes = partitionRows();
    int[] fill = new int[workers];
    for (int p = 0; p < workers; p++) {
      byWorker[p] = new long[(int) sizes[p]];
    }
    for (long i = 0; i < rows; i++) {
      int w = workerOf(i);
      byWorker[w][fill[w]++] = i;
    }
    if (deal != null) {
      long seed = epochSeed(epoch);
      for (int p = 0; p < workers; p++) {
        byWorker[p] = sortedByKey(byWorker[p], seed);
      }
    }
    long[] order = new long[(int) rows];
    int at = 0;
    int[] taken = new int[workers];
    while (at < order.length) {
      for (int p = 0; p < workers; p++) {
        int n = Math.min(perWorker, byWorker[p].length - taken[p]);
        System.arraycopy(byWorker[p], taken[p], order, at, n);
        taken[p] += n;
        at += n;
      }
    }
    return order;
  }

  private static long[] sortedByKey(long[] indexes, long seed) {
    long[][] keyed = new long[indexes.length][];
    for (int k = 0; k < indexes.length; k++) {
      keyed[k] = new long[] {orderKey(seed, indexes[k]), indexes[k]};
    }
    Arrays.sort(keyed, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : Long.compare(a[1], b[1]));
    long[] out = new long[indexes.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = keyed[k][1];
    }
    return out;
  }

  @Override
  public String toString() {
    return (deal == null ? "in order" : "shuffled") + ": " + rows + " rows, " + workers
        + " workers x " + perWorker;
  }
}
