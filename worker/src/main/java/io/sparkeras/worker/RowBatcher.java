package io.sparkeras.worker;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Streams a partition's rows ({@code dataset.queryExecution().toRdd()}) into {@link Batch}es.
 * The float buffers are allocated once and REUSED: a batch is valid until the next call, which
 * is how the training loop uses it (forward/backward, then the next batch). Only one batch of
 * rows is ever held, never the partition.
 *
 * <p>Rows that cannot be read (a null, the wrong width, NaN or infinity) fail the task with the
 * row's 0-based position among the rows this batcher read from the partition
 * ({@link BadRowPolicy#FAIL}), or are skipped and counted ({@link BadRowPolicy#SKIP}).
 *
 * <pre>{@code
 * RowBatcher batches = new RowBatcher(rows, features, new int[] {784}, label, new int[0], 128,
 *     BadRowPolicy.FAIL);
 * for (Batch b = batches.next(128); b != null; b = batches.next(128)) {
 *   model.computeGradients(b);
 * }
 * }</pre>
 */
public final class RowBatcher implements Iterator<Batch> {
  private final Iterator<InternalRow> rows;
  private final RowEncoder features;
  private final ColumnSpec label;
  private final int[][] fullX;
  private final int[] fullY;
  private final int batchSize;
  private final BadRowPolicy policy;
  private final int partition;
  private final float[][] x;
  private final float[] y;
  private final int[] fw;
  private final int lw;
  private final Batch full;
  private long read;
  private long skipped;
  private Batch pending;

  /**
   * @param featureShape one sample's shape (its product is the feature column's width)
   * @param label the target column, or null (prediction)
   * @param labelShape one target's shape: {@code []} for a scalar label, {@code [k]} for k values
   */
  public RowBatcher(Iterator<InternalRow> rows, ColumnSpec features, int[] featureShape,
      ColumnSpec label, int[] labelShape, int batchSize, BadRowPolicy policy) {
    this(rows, RowEncoder.columns(features, featureShape), label, labelShape, batchSize, policy);
  }

  /**
   * Batches of the inputs {@code features} writes (several for a model with several inputs,
   * e.g. a {@link HostEncoder}'s preprocessed raw columns).
   */
  public RowBatcher(Iterator<InternalRow> rows, RowEncoder features, ColumnSpec label,
      int[] labelShape, int batchSize, BadRowPolicy policy) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size: expected >= 1, found " + batchSize);
    }
    this.rows = rows;
    this.features = features;
    this.label = label;
    this.batchSize = batchSize;
    this.policy = policy;
    TaskContext tc = TaskContext.get();
    this.partition = tc == null ? -1 : tc.partitionId();
    List<int[]> shapes = features.shapes();
    this.fw = new int[shapes.size()];
    this.fullX = new int[shapes.size()][];
    this.x = new float[shapes.size()][];
    for (int i = 0; i < fw.length; i++) {
      fw[i] = product(shapes.get(i));
      fullX[i] = prepend(batchSize, shapes.get(i));
      x[i] = new float[batchSize * fw[i]];
    }
    if (label != null) {
      this.lw = product(labelShape);
      if (label.width != lw) {
        throw new IllegalArgumentException(label.describe() + ": holds " + label.width
            + " values per row, the target shape needs " + lw);
      }
      this.fullY = prepend(batchSize, labelShape);
      this.y = new float[batchSize * lw];
    } else {
      this.lw = 0;
      this.fullY = null;
      this.y = null;
    }
    this.full = wrap(batchSize);
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static int[] prepend(int n, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = n;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  private Batch wrap(int n) {
    List<NDArray> xs = new java.util.ArrayList<>(x.length);
    NDArray ys;
    if (n == batchSize) {
      for (int i = 0; i < x.length; i++) {
        xs.add(NDArray.of(x[i], fullX[i]));
      }
      ys = y == null ? null : NDArray.of(y, fullY);
    } else {
      // A partial batch (at most one per partition and call pattern) gets compact copies: the
      // api's target checks read a row view's whole backing array when its offset is 0.
      for (int i = 0; i < x.length; i++) {
        int[] sx = fullX[i].clone();
        sx[0] = n;
        xs.add(NDArray.of(java.util.Arrays.copyOf(x[i], n * fw[i]), sx));
      }
      if (y != null) {
        int[] sy = fullY.clone();
        sy[0] = n;
        ys = NDArray.of(java.util.Arrays.copyOf(y, n * lw), sy);
      } else {
        ys = null;
      }
    }
    return new Batch(xs, ys == null ? List.of() : List.of(ys));
  }

  /**
   * The next batch of at most {@code maxRows} (≤ the batch size) good rows, or null when the
   * partition has no more good rows. The returned batch shares this batcher's buffers.
   */
  public Batch next(int maxRows) {
    if (maxRows < 1 || maxRows > batchSize) {
      throw new IllegalArgumentException("maxRows: expected [1, " + batchSize + "], found " + maxRows);
    }
    int n = 0;
    while (n < maxRows && rows.hasNext()) {
      InternalRow r = rows.next();
      long position = read++;
      String problem = features.encode(r, x, n);
      if (problem == null && label != null) {
        problem = ColumnReader.read(label, r, y, n * lw);
      }
      if (problem != null) {
        if (policy == BadRowPolicy.FAIL) {
          throw new BadRowException(partition, position, problem);
        }
        skipped++;
        continue;
      }
      n++;
    }
    if (n == 0) {
      return null;
    }
    return n == batchSize ? full : wrap(n);
  }

  @Override
  public boolean hasNext() {
    if (pending == null) {
      pending = next(batchSize);
    }
    return pending != null;
  }

  /** The next full-size (or final partial) batch. */
  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Batch b = pending;
    pending = null;
    return b;
  }

  /** Rows read from the partition so far, good or bad. */
  public long rowsRead() {
    return read;
  }

  /** Rows skipped under {@link BadRowPolicy#SKIP}. */
  public long rowsSkipped() {
    return skipped;
  }

  public int batchSize() {
    return batchSize;
  }
}
