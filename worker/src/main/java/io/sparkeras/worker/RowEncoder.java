package io.sparkeras.worker;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Turns one Spark row into the network's inputs, written at a sample position of reused batch
 * buffers: numeric columns read as they are ({@link ColumnSpec}), or raw columns run through the
 * model's preprocessing layers ({@link HostEncoder}). Problems (a null, a wrong size, a value a
 * layer rejects) are returned as a message, null when the row is fine.
 */
public interface RowEncoder {
  /** Sample shapes of the inputs written, in the network's input order. */
  List<int[]> shapes();

  /** Writes input {@code i} of {@code row} at {@code x[i][n * size_i ...]}; a problem or null. */
  String encode(InternalRow row, float[][] x, int n);

  /** One numeric feature column (or several numeric columns) as one input of this shape. */
  static RowEncoder columns(ColumnSpec features, int[] featureShape) {
    int width = 1;
    for (int d : featureShape) {
      width *= d;
    }
    if (features.width != width) {
      throw new IllegalArgumentException(features.describe() + ": holds " + features.width
          + " values per row, the model's input shape needs " + width);
    }
    int w = width;
    List<int[]> shapes = List.of(featureShape.clone());
    return new RowEncoder() {
      @Override
      public List<int[]> shapes() {
        return shapes;
      }

      @Override
      public String encode(InternalRow row, float[][] x, int n) {
        return ColumnReader.read(features, row, x[0], n * w);
      }
    };
  }
}
