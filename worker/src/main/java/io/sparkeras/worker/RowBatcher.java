package io.sparkeras.worker;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Streams a partition's rows ({@code dataset.queryExecution().toRdd()}) into {@link Batch}es as
 * a {@link BatchLayout} says: one array per model input (written by one {@link RowEncoder}:
 * numeric columns as they are, or raw columns through the model's preprocessing layers, a
 * {@link HostEncoder}), one per output's target, and the samples' weights. The float buffers are allocated once and REUSED: a batch is valid until the
 * next call, which is how the training loop uses it (forward/backward, then the next batch).
 * Only one batch of rows is ever held, never the partition.
 *
 * <p>Rows that cannot be read (a null, the wrong width, NaN or infinity) fail the task with the
 * row's 0-based position among the rows this batcher read from the partition
 * ({@link BadRowPolicy#FAIL}), or are skipped and counted ({@link BadRowPolicy#SKIP}).
 *
 * <pre>{@code
 * RowBatcher batches = new RowBatcher(rows, BatchLayout.single(features, new int[] {784}, label,
 *     new int[0]), 128, BadRowPolicy.FAIL);
 * for (Batch b = batches.next(128); b != null; b = batches.next(128)) {
 *   model.computeGradients(b);
 * }
 * }</pre>
 */
public final class RowBatcher implements Iterator<Batch> {
  private final Iterator<InternalRow> rows;
  private final BatchLayout layout;
  private final RowEncoder encoder;
  private final int batchSize;
  private final BadRowPolicy policy;
  private final int partition;
  private final Slot[] inputs;
  private final float[][] x;
  private final Slot[] targets;
  private final float[] weights;
  private final Batch full;
  private long read;
  private long skipped;
  private Batch pending;

  /** The reused buffer of one input or target: rows of {@code width} floats of {@code shape}. */
  private static final class Slot {
    final ColumnSpec column;
    final int[] batchShape;
    final int width;
    final float[] values;

    Slot(ColumnSpec column, int[] sampleShape, int batchSize, String role) {
      this.column = column;
      this.width = product(sampleShape);
      if (column != null && column.width != width) {
        throw new IllegalArgumentException(column.describe() + ": holds " + column.width
            + " values per row, the " + role + " shape " + Arrays.toString(sampleShape)
            + " needs " + width);
      }
      this.batchShape = new int[sampleShape.length + 1];
      batchShape[0] = batchSize;
      System.arraycopy(sampleShape, 0, batchShape, 1, sampleShape.length);
      this.values = new float[batchSize * width];
    }

    /** The first {@code n} rows: a view of the buffer when full, else a compact copy. */
    NDArray rows(int n, int batchSize) {
      if (n == batchSize) {
        return NDArray.of(values, batchShape);
      }
      // A partial batch (at most one per partition and call pattern) gets compact copies: the
      // api's target checks read a row view's whole backing array when its offset is 0.
      int[] s = batchShape.clone();
      s[0] = n;
      return NDArray.of(Arrays.copyOf(values, n * width), s);
    }
  }

  /**
   * @param layout the inputs' numeric columns and shapes, the targets' (no targets:
   *     prediction), and the samples' weights; raw input columns need the model's encoder
   *     ({@link #RowBatcher(Iterator, RowEncoder, BatchLayout, int, BadRowPolicy)})
   */
  public RowBatcher(Iterator<InternalRow> rows, BatchLayout layout, int batchSize,
      BadRowPolicy policy) {
    this(rows, layout.encoder(null, false, 0), layout, batchSize, policy);
  }

  /** One numeric input of {@code featureShape} and (unless {@code label} is null) one target. */
  public RowBatcher(Iterator<InternalRow> rows, ColumnSpec features, int[] featureShape,
      ColumnSpec label, int[] labelShape, int batchSize, BadRowPolicy policy) {
    this(rows, BatchLayout.single(features, featureShape, label, labelShape), batchSize, policy);
  }

  /**
   * Batches of the inputs {@code features} writes (several for a model with several inputs,
   * e.g. a {@link HostEncoder}'s preprocessed raw columns) and (unless {@code label} is null)
   * one target.
   */
  public RowBatcher(Iterator<InternalRow> rows, RowEncoder features, ColumnSpec label,
      int[] labelShape, int batchSize, BadRowPolicy policy) {
    this(rows, features, targetsOnly(label, labelShape), batchSize, policy);
  }

  /**
   * Batches of the inputs {@code inputs} writes, with the targets and sample weights of
   * {@code layout} (its input side is what {@code inputs} encodes, e.g. {@code
   * layout.encoder(model, training, stream)} for raw columns).
   */
  public RowBatcher(Iterator<InternalRow> rows, RowEncoder inputs, BatchLayout layout,
      int batchSize, BadRowPolicy policy) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size: expected >= 1, found " + batchSize);
    }
    this.rows = rows;
    this.layout = layout;
    this.batchSize = batchSize;
    this.policy = policy;
    TaskContext tc = TaskContext.get();
    this.partition = tc == null ? -1 : tc.partitionId();
    this.encoder = inputs;
    List<int[]> shapes = inputs.shapes();
    this.inputs = new Slot[shapes.size()];
    this.x = new float[shapes.size()][];
    for (int i = 0; i < x.length; i++) {
      this.inputs[i] = new Slot(null, shapes.get(i), batchSize, "model's input");
      this.x[i] = this.inputs[i].values;
    }
    this.targets = slots(layout.targets, layout.targetShapes, "target");
    this.weights = layout.weighted() ? new float[batchSize] : null;
    this.full = wrap(batchSize);
  }

  /** A layout of one target (none when {@code label} is null) for an encoder's inputs. */
  private static BatchLayout targetsOnly(ColumnSpec label, int[] labelShape) {
    BatchLayout l = BatchLayout.encoded();
    return label == null ? l : l.targets(List.of(label), List.of(labelShape));
  }

  private Slot[] slots(ColumnSpec[] columns, int[][] shapes, String role) {
    Slot[] s = new Slot[columns.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = new Slot(columns[i], shapes[i], batchSize, role);
    }
    return s;
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private Batch wrap(int n) {
    List<NDArray> xs = new ArrayList<>(inputs.length);
    for (Slot s : inputs) {
      xs.add(s.rows(n, batchSize));
    }
    List<NDArray> ys = new ArrayList<>(targets.length);
    for (Slot s : targets) {
      ys.add(s.rows(n, batchSize));
    }
    NDArray w = weights == null ? null
        : NDArray.of(n == batchSize ? weights : Arrays.copyOf(weights, n), n);
    return new Batch(xs, ys, w);
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
      String problem = readRow(r, n);
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

  /** Reads row {@code r} into slot row {@code n}; the problem, or null when it is good. */
  private String readRow(InternalRow r, int n) {
    String encoded = encoder.encode(r, x, n);
    if (encoded != null) {
      return encoded;
    }
    for (Slot s : targets) {
      String problem = ColumnReader.read(s.column, r, s.values, n * s.width);
      if (problem != null) {
        return problem;
      }
    }
    if (layout.sampleWeight != null) {
      return ColumnReader.read(layout.sampleWeight, r, weights, n);
    }
    if (layout.classWeights != null) {
      Slot t = targets[0];
      weights[n] = layout.classWeights.weightOf(t.values, n * t.width, t.width);
    }
    return null;
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
