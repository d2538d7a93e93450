package io.sparkeras.worker;

import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.data.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rows to reused float batches, for every supported column kind, on a local[2] SparkSession. */
class RowBatcherTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("RowBatcherTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Iterator<InternalRow> rows(Dataset<Row> df) {
    return Arrays.asList(df.queryExecution().executedPlan().executeCollect()).iterator();
  }

  static ColumnSpec spec(Dataset<Row> df, String... cols) {
    return ColumnSpec.resolve(df.schema(), "features", List.of(cols), 0, null);
  }

  static StructType schema(String ddl) {
    return StructType.fromDDL(ddl);
  }

  @Test
  void floatArrayColumnIntoReusedBuffers() {
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      data.add(RowFactory.create(new float[] {i, i + 0.5f, -i}, (double) i));
    }
    Dataset<Row> df = spark.createDataFrame(data, schema("x array<float>, y double"));
    ColumnSpec x = spec(df, "x").withWidth(3);
    ColumnSpec y = ColumnSpec.resolve(df.schema(), "label", List.of("y"), 0, null);
    assertEquals(ColumnSpec.Kind.ARRAY, x.kind());
    RowBatcher b = new RowBatcher(rows(df), BatchLayout.single(x, new int[] {3}, y, new int[0]), 2,
        BadRowPolicy.FAIL);
    Batch first = b.next();
    assertArrayEquals(new int[] {2, 3}, first.inputs().get(0).shape());
    assertArrayEquals(new float[] {0, 0.5f, 0, 1, 1.5f, -1}, first.inputs().get(0).toArray());
    assertArrayEquals(new float[] {0, 1}, first.targets().get(0).toArray());
    Batch second = b.next();
    assertSame(first.inputs().get(0).data(), second.inputs().get(0).data(), "buffers are reused");
    assertArrayEquals(new float[] {2, 3}, second.targets().get(0).toArray());
    Batch last = b.next();
    assertEquals(1, last.size());
    assertArrayEquals(new float[] {4, 4.5f, -4}, last.inputs().get(0).toArray());
    assertFalse(b.hasNext());
    assertEquals(5, b.rowsRead());
  }

  @Test
  void doubleArraysVectorsNumericColumnsAndBinary() {
    Dataset<Row> df = spark.createDataFrame(List.of(
        RowFactory.create(new double[] {1, 2}, Vectors.dense(1, 2), 1, 2L, 3.5f,
            new byte[] {(byte) 255, 7}, new double[] {0.5, 1.5}),
        RowFactory.create(new double[] {3, 4}, Vectors.sparse(2, new int[] {1}, new double[] {9}),
            4, 5L, 6.5f, new byte[] {0, 1}, new double[] {2.5, 3.5})),
        new StructType().add("d", DataTypes.createArrayType(DataTypes.DoubleType))
            .add("v", new org.apache.spark.ml.linalg.VectorUDT())
            .add("a", DataTypes.IntegerType).add("b", DataTypes.LongType)
            .add("c", DataTypes.FloatType).add("bin", DataTypes.BinaryType)
            .add("t", DataTypes.createArrayType(DataTypes.DoubleType)));
    ColumnSpec t = ColumnSpec.resolve(df.schema(), "label", List.of("t"), 0, null).withWidth(2);
    float[][] expected = {
        {1, 2, 3, 4}, {1, 2, 0, 9}, {1, 2, 3.5f, 4, 5, 6.5f}, {255, 7, 0, 1}};
    ColumnSpec[] specs = {
        spec(df, "d").withWidth(2), spec(df, "v").withWidth(2), spec(df, "a", "b", "c"),
        ColumnSpec.resolve(df.schema(), "features", List.of("bin"), 2,
            ColumnSpec.BinaryEncoding.UINT8)};
    ColumnSpec.Kind[] kinds = {ColumnSpec.Kind.ARRAY, ColumnSpec.Kind.VECTOR,
        ColumnSpec.Kind.NUMERIC, ColumnSpec.Kind.BINARY_UINT8};
    for (int i = 0; i < specs.length; i++) {
      assertEquals(kinds[i], specs[i].kind());
      int w = specs[i].width();
      RowBatcher b = new RowBatcher(rows(df), BatchLayout.single(specs[i], new int[] {w}, t,
          new int[] {2}), 8, BadRowPolicy.FAIL);
      Batch batch = b.next();
      assertArrayEquals(expected[i], batch.inputs().get(0).toArray(), specs[i].describe());
      assertArrayEquals(new int[] {2, 2}, batch.targets().get(0).shape());
      assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, batch.targets().get(0).toArray());
    }
  }

  @Test
  void float32Binary() {
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bb.putFloat(1.25f).putFloat(-3f);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(bb.array(), 1)),
        schema("img binary, y int"));
    ColumnSpec x = ColumnSpec.resolve(df.schema(), "features", List.of("img"), 2,
        ColumnSpec.BinaryEncoding.FLOAT32_LE);
    RowBatcher b = new RowBatcher(rows(df), BatchLayout.single(x, new int[] {2, 1}, null, null), 4,
        BadRowPolicy.FAIL);
    Batch batch = b.next();
    assertArrayEquals(new int[] {1, 2, 1}, batch.inputs().get(0).shape());
    assertArrayEquals(new float[] {1.25f, -3f}, batch.inputs().get(0).toArray());
    assertTrue(batch.targets().isEmpty());
  }

  static Dataset<Row> withBadRows() {
    return spark.createDataFrame(List.of(
        RowFactory.create(new float[] {1, 2}, 0.0),
        RowFactory.create(new float[] {1, 2, 3}, 1.0),      // wrong width
        RowFactory.create(null, 1.0),                       // null features
        RowFactory.create(new float[] {Float.NaN, 2}, 1.0), // NaN
        RowFactory.create(new float[] {3, 4}, null),        // null label
        RowFactory.create(new float[] {5, 6}, 1.0)), schema("x array<float>, y double"));
  }

  @Test
  void badRowsFailWithTheirPosition() {
    Dataset<Row> df = withBadRows();
    ColumnSpec x = spec(df, "x").withWidth(2);
    ColumnSpec y = ColumnSpec.resolve(df.schema(), "label", List.of("y"), 0, null);
    RowBatcher b = new RowBatcher(rows(df), BatchLayout.single(x, new int[] {2}, y, new int[0]), 4,
        BadRowPolicy.FAIL);
    BadRowException e = assertThrows(BadRowException.class, b::next);
    assertEquals(1, e.row());
    assertTrue(e.getMessage().contains("column 'x' has 3 values, expected 2"), e.getMessage());
  }

  @Test
  void badRowsSkippedAndCounted() {
    Dataset<Row> df = withBadRows();
    ColumnSpec x = spec(df, "x").withWidth(2);
    ColumnSpec y = ColumnSpec.resolve(df.schema(), "label", List.of("y"), 0, null);
    RowBatcher b = new RowBatcher(rows(df), BatchLayout.single(x, new int[] {2}, y, new int[0]), 4,
        BadRowPolicy.SKIP);
    Batch batch = b.next();
    assertArrayEquals(new float[] {1, 2, 5, 6}, batch.inputs().get(0).toArray());
    assertNull(b.next(4));
    assertEquals(4, b.rowsSkipped());
    assertEquals(6, b.rowsRead());
  }

  @Test
  void failureInATaskNamesPartitionAndRow() {
    Dataset<Row> df = withBadRows().repartition(1);
    ColumnSpec x = spec(df, "x").withWidth(2);
    JavaRDD<InternalRow> rdd = df.queryExecution().toRdd().toJavaRDD();
    SparkException e = assertThrows(SparkException.class, () -> rdd.mapPartitions(it -> {
      RowBatcher b = new RowBatcher(it, BatchLayout.single(x, new int[] {2}, null, null), 16,
          BadRowPolicy.FAIL);
      int n = 0;
      while (b.hasNext()) {
        n += b.next().size();
      }
      return List.of(n).iterator();
    }).collect());
    assertTrue(e.getMessage().contains("of partition 0: column 'x'"), e.getMessage());
  }

  @Test
  void schemaErrorsNameTheColumn() {
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("a", new String[] {"b"})),
        schema("s string, arr array<string>"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec(df, "nope"));
    assertTrue(e.getMessage().contains("'nope' does not exist"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> spec(df, "s"));
    assertTrue(e.getMessage().contains("found string"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> spec(df, "arr"));
    assertTrue(e.getMessage().contains("found array<string>"), e.getMessage());
  }

  /** Two inputs, two targets and a weight column per row; class weights from the one target. */
  @Test
  void severalInputsTargetsAndSampleWeights() {
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      data.add(RowFactory.create(new float[] {i, -i}, (double) i * 10, i % 3, new float[] {i, 1},
          0.5 + i));
    }
    Dataset<Row> df = spark.createDataFrame(data,
        schema("a array<float>, b double, cls int, reg array<float>, w double"));
    StructType s = df.schema();
    ColumnSpec a = ColumnSpec.resolve(s, "image", List.of("a"), 0, null).withWidth(2);
    ColumnSpec b = ColumnSpec.resolve(s, "meta", List.of("b"), 0, null);
    ColumnSpec cls = ColumnSpec.resolve(s, "cls", List.of("cls"), 0, null);
    ColumnSpec reg = ColumnSpec.resolve(s, "reg", List.of("reg"), 0, null).withWidth(2);
    ColumnSpec w = ColumnSpec.resolve(s, "sample weight", List.of("w"), 0, null);
    BatchLayout layout = BatchLayout.of(List.of(a, b), List.of(new int[] {2}, new int[] {1}))
        .targets(List.of(cls, reg), List.of(new int[0], new int[] {2}));
    Batch batch = new RowBatcher(rows(df), layout.sampleWeight(w), 4, BadRowPolicy.FAIL).next();
    assertEquals(2, batch.inputs().size());
    assertEquals(2, batch.targets().size());
    assertArrayEquals(new float[] {3, -3}, batch.inputs().get(0).rows(3, 4).toArray());
    assertArrayEquals(new float[] {30}, batch.inputs().get(1).rows(3, 4).toArray());
    assertArrayEquals(new float[] {0, 1, 2, 0}, batch.targets().get(0).toArray());
    assertArrayEquals(new float[] {2, 1}, batch.targets().get(1).rows(2, 3).toArray());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, batch.sampleWeights().toArray());
    // class weights: each row weighs its class's weight, 1 for classes not named
    BatchLayout byClass = BatchLayout.of(List.of(a), List.of(new int[] {2}))
        .targets(List.of(cls), List.of(new int[0]))
        .classWeights(io.sparkeras.api.trainers.ClassWeights.of(java.util.Map.of(2, 4.0)));
    Batch weighted = new RowBatcher(rows(df), byClass, 8, BadRowPolicy.FAIL).next();
    assertArrayEquals(new float[] {1, 1, 4, 1, 1}, weighted.sampleWeights().toArray());
    assertThrows(IllegalArgumentException.class, () -> layout.classWeights(
        io.sparkeras.api.trainers.ClassWeights.of(java.util.Map.of(2, 4.0))));
  }
}
