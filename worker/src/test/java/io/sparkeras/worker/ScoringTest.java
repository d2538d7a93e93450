package io.sparkeras.worker;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.SGD;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * {@link Scoring#predict} over a source that reuses one UnsafeRow for every row (as Spark's
 * scans and projections do): the scorer keeps the batch's rows in its own buffers, and every
 * output row carries the right input columns and the model's prediction.
 */
class ScoringTest {
  static final StructType SCHEMA = StructType.fromDDL("id bigint, x array<float>, note string");

  static Iterator<InternalRow> reusingSource(float[][] x) {
    UnsafeProjection proj = UnsafeProjection.create(SCHEMA);
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < x.length;
      }

      @Override
      public InternalRow next() {
        GenericInternalRow g = new GenericInternalRow(new Object[] {(long) i,
            UnsafeArrayData.fromPrimitiveArray(x[i]), UTF8String.fromString("row" + i)});
        i++;
        return proj.apply(g); // the same UnsafeRow object every time
      }
    };
  }

  @Test
  void outputRowsPairEachInputWithItsPredictionAcrossBatches() {
    Model m = new Sequential(Input.of(2), new Dense(3).activation("softmax"));
    m.compile(new SGD(0.1), Losses.sparseCategoricalCrossentropy());
    byte[] file = WorkerModels.toBytes(m);
    float[][] x = new float[7][];
    float[] flat = new float[14];
    for (int i = 0; i < x.length; i++) {
      x[i] = new float[] {i * 0.5f - 1, 1 - i * 0.25f};
      System.arraycopy(x[i], 0, flat, 2 * i, 2);
    }
    float[] expected = m.predict(NDArray.of(flat, 7, 2)).data();
    ColumnSpec spec = ColumnSpec.resolve(SCHEMA, "features", List.of("x"), 0, null).withWidth(2);
    // batch 3: two full batches and a partial one; one model output of 3 values (an array)
    Iterator<InternalRow> out = Scoring.predict(reusingSource(x), WorkerModels.key(file),
        () -> file, BatchLayout.single(spec, new int[] {2}, null, null), 3,
        new boolean[] {false});
    List<InternalRow> kept = new ArrayList<>();
    int n = 0;
    while (out.hasNext()) {
      InternalRow r = out.next();
      assertEquals(4, r.numFields());
      assertEquals(n, r.getLong(0));
      assertEquals("row" + n, r.getUTF8String(2).toString());
      ArrayData p = r.getArray(3);
      for (int k = 0; k < 3; k++) {
        assertEquals(expected[3 * n + k], p.getFloat(k), 1e-6, "row " + n + " value " + k);
      }
      kept.add(r.copy());
      n++;
    }
    assertEquals(7, n);
    for (int i = 0; i < kept.size(); i++) {
      assertEquals(i, kept.get(i).getLong(0), "copies are independent of the reused buffers");
      assertEquals(expected[3 * i], kept.get(i).getArray(3).getFloat(0), 1e-6);
    }
  }
}
