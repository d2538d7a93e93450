package io.sparkeras.worker.tuner;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.RowBatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * A partition's rows as two in-memory arrays (features, targets) for a local fit that runs
 * several epochs over them, read through {@link RowBatcher} in chunks (its checks and bad-row
 * policy included) and copied once into arrays of the final size.
 *
 * <pre>{@code
 * PartitionArrays data = PartitionArrays.read(rows, features, new int[] {784}, label, new int[0],
 *     BadRowPolicy.FAIL);
 * model.fit(data.x(), data.y(), FitOptions.epochs(3));
 * }</pre>
 */
public final class PartitionArrays {
  private static final int CHUNK = 1024;

  private final NDArray x;
  private final NDArray y;

  private PartitionArrays(NDArray x, NDArray y) {
    this.x = x;
    this.y = y;
  }

  /** Reads every row of {@code rows}. */
  public static PartitionArrays read(Iterator<InternalRow> rows, ColumnSpec features,
      int[] featureShape, ColumnSpec label, int[] labelShape, BadRowPolicy policy) {
    RowBatcher batcher = new RowBatcher(rows, features, featureShape, label, labelShape, CHUNK,
        policy);
    List<float[]> xs = new ArrayList<>();
    List<float[]> ys = new ArrayList<>();
    int n = 0;
    for (Batch b = batcher.next(CHUNK); b != null; b = batcher.next(CHUNK)) {
      xs.add(b.inputs().get(0).toArray());
      ys.add(b.targets().get(0).toArray());
      n += b.size();
    }
    return new PartitionArrays(NDArray.of(concat(xs), prepend(n, featureShape)),
        NDArray.of(concat(ys), prepend(n, labelShape)));
  }

  private static float[] concat(List<float[]> parts) {
    int total = 0;
    for (float[] p : parts) {
      total += p.length;
    }
    float[] out = new float[total];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static int[] prepend(int n, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = n;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  public NDArray x() {
    return x;
  }

  public NDArray y() {
    return y;
  }

  /** Rows read. */
  public int rows() {
    return x.length();
  }
}
