package io.sparkeras.worker;

import java.util.ArrayList;
import java.util.Arrays;
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
    return columns(List.of(features), List.of(featureShape));
  }

  /**
   * Numeric columns for several inputs: {@code features.get(i)} read as input {@code i} of
   * {@code shapes.get(i)}, in the model's input order.
   */
  static RowEncoder columns(List<ColumnSpec> features, List<int[]> featureShapes) {
    ColumnSpec[] specs = features.toArray(new ColumnSpec[0]);
    int[] widths = new int[specs.length];
    List<int[]> shapes = new ArrayList<>();
    for (int i = 0; i < specs.length; i++) {
      int[] shape = featureShapes.get(i);
      int width = 1;
      for (int d : shape) {
        width *= d;
      }
      if (specs[i].width != width) {
        throw new IllegalArgumentException(specs[i].describe() + ": holds " + specs[i].width
            + " values per row, the model's input shape " + Arrays.toString(shape) + " needs "
            + width);
      }
      widths[i] = width;
      shapes.add(shape.clone());
    }
    List<int[]> fixed = List.copyOf(shapes);
    return new RowEncoder() {
      @Override
      public List<int[]> shapes() {
        return fixed;
      }

      @Override
      public String encode(InternalRow row, float[][] x, int n) {
        for (int i = 0; i < specs.length; i++) {
          String problem = ColumnReader.read(specs[i], row, x[i], n * widths[i]);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      }
    };
  }
}
