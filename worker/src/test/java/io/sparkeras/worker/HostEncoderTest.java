package io.sparkeras.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.Columns;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.preprocessing.CategoryEncoding;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.layers.preprocessing.HostRunner;
import io.sparkeras.api.layers.preprocessing.Rescaling;
import io.sparkeras.api.layers.preprocessing.StringLookup;
import io.sparkeras.api.utils.FeatureSpace;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Raw Spark columns through a model's preprocessing into batches (a local[2] session's
 * UnsafeRows): the same values as the in-memory encoding of the same data, every Spark type the
 * raw inputs take, bad rows named, and no allocation per row.
 */
class HostEncoderTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("HostEncoderTest")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<InternalRow> rows(Dataset<Row> df) {
    return Arrays.asList(df.queryExecution().executedPlan().executeCollect());
  }

  static RawColumnSpec[] specs(Dataset<Row> df, HostPlan plan, List<String> columns,
      RawColumnSpec.NullPolicy nulls) {
    RawColumnSpec[] s = new RawColumnSpec[columns.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = RawColumnSpec.resolve(df.schema(), columns.get(i), "input '" + columns.get(i) + "'",
          plan.inputKind(i), plan.inputShape(i), nulls);
    }
    return s;
  }

  private static final String[] JOBS = {"clerk", "nurse", "chef", "clerk", "pilot", "nurse"};

  private static FeatureSpace space() {
    FeatureSpace fs = FeatureSpace.builder()
        .feature("job", FeatureSpace.stringCategorical())
        .feature("kids", FeatureSpace.integerCategorical())
        .feature("income", FeatureSpace.floatNormalized())
        .cross("job", "kids", 16).build();
    return fs.adapt(Columns.of("job", JOBS).with("kids", new long[] {0, 1, 2, 1, 0, 3})
        .with("income", new float[] {1, 2, 3, 4, 5, 6}));
  }

  @Test
  void sparkRowsEncodeLikeInMemoryRows() {
    FeatureSpace fs = space();
    HostPlan plan = HostPlan.of(fs.inputList(), List.of(fs.encodedFeatures()));
    List<Row> data = new ArrayList<>();
    long[] kids = {0, 1, 2, 1, 0, 3};
    for (int i = 0; i < JOBS.length; i++) {
      data.add(RowFactory.create(JOBS[i], (int) kids[i], 1.5 * i, i % 3));
    }
    Dataset<Row> df = spark.createDataFrame(data,
        StructType.fromDDL("job string, kids int, income double, y int"));
    HostEncoder enc = new HostEncoder(plan, specs(df, plan, fs.columns(),
        RawColumnSpec.NullPolicy.FAIL), false, 0);
    ColumnSpec y = ColumnSpec.resolve(df.schema(), "label", List.of("y"), 0, null);
    RowBatcher b = new RowBatcher(rows(df).iterator(), enc, y, new int[0], 4, BadRowPolicy.FAIL);
    HostRunner local = plan.newRunner(false, 0);
    int row = 0;
    while (b.hasNext()) {
      Batch batch = b.next();
      assertEquals(plan.boundary().size(), batch.inputs().size());
      for (int n = 0; n < batch.size(); n++, row++) {
        local.input(0).reset();
        local.input(0).addString(JOBS[row]);
        local.input(1).reset();
        local.input(1).addInt(kids[row]);
        local.input(2).reset();
        local.input(2).addFloat((float) (1.5 * row));
        local.run();
        for (int k = 0; k < plan.boundary().size(); k++) {
          float[] want = new float[plan.boundarySize(k)];
          local.write(k, want, 0);
          float[] got = Arrays.copyOfRange(batch.inputs().get(k).data(), n * want.length,
              (n + 1) * want.length);
          assertArrayEquals(want, got, "row " + row + " input " + k);
        }
        assertEquals(row % 3, batch.targets().get(0).get(n, 0));
      }
    }
    assertEquals(JOBS.length, row);
  }

  @Test
  void everyRawColumnTypeFeedsItsInput() {
    KerasTensor tags = Input.named("tags", "string", 2);
    KerasTensor bytes = Input.named("bytes", "string", 1);
    KerasTensor flag = Input.named("flag", "bool", 1);
    KerasTensor vec = Input.named("vec", 3);
    KerasTensor img = Input.named("img", 2, 2, 3);
    KerasTensor pix = Input.named("pix", 2, 2, 1);
    KerasTensor dec = Input.named("dec", 1);
    StringLookup lookup = new StringLookup().vocabulary(List.of("a", "b"));
    StringLookup raw = new StringLookup().vocabulary(List.of("xy"));
    List<KerasTensor> outs = List.of(lookup.apply(tags), raw.apply(bytes),
        new CategoryEncoding(2).outputMode("one_hot").apply(flag), vec,
        new Rescaling(1.0 / 255).apply(img), pix, dec);
    HostPlan plan = HostPlan.of(List.of(tags, bytes, flag, vec, img, pix, dec), outs);
    StructType schema = StructType.fromDDL("tags array<string>, bytes binary, flag boolean, "
        + "img struct<origin:string,height:int,width:int,nChannels:int,mode:int,data:binary>, "
        + "pix binary, dec decimal(10,2)").add("vec", new org.apache.spark.ml.linalg.VectorUDT());
    byte[] bgr = {10, 20, 30, 11, 21, 31, 12, 22, 32, 13, 23, 33};
    Row image = RowFactory.create("mem://x", 2, 2, 3, 16, bgr);
    List<Row> data = List.of(
        RowFactory.create(Arrays.asList("b", "zz"), new byte[] {'x', 'y'}, true, image,
            new byte[] {0, 1, (byte) 200, (byte) 255}, new java.math.BigDecimal("12.50"),
            Vectors.sparse(3, new int[] {1}, new double[] {4.5})));
    Dataset<Row> df = spark.createDataFrame(data, schema);
    HostEncoder enc = new HostEncoder(plan, specs(df, plan, List.of("tags", "bytes", "flag",
        "vec", "img", "pix", "dec"), RawColumnSpec.NullPolicy.FAIL), false, 0);
    float[][] x = new float[7][];
    for (int k = 0; k < 7; k++) {
      x[k] = new float[plan.boundarySize(k)];
    }
    assertEquals(null, enc.encode(rows(df).get(0), x, 0));
    assertArrayEquals(new float[] {2, 0}, x[0], "array<string>: b -> 2, zz -> OOV");
    assertArrayEquals(new float[] {1}, x[1], "binary bytes as a string");
    assertArrayEquals(new float[] {0, 1}, x[2], "boolean true -> 1");
    assertArrayEquals(new float[] {0, 4.5f, 0}, x[3], "sparse vector");
    assertArrayEquals(new float[] {30 / 255f, 20 / 255f, 10 / 255f, 31 / 255f, 21 / 255f,
        11 / 255f, 32 / 255f, 22 / 255f, 12 / 255f, 33 / 255f, 23 / 255f, 13 / 255f}, x[4],
        1e-7f, "image struct: OpenCV BGR to RGB, rescaled");
    assertArrayEquals(new float[] {0, 1, 200, 255}, x[5], "binary pixels as unsigned bytes");
    assertArrayEquals(new float[] {12.5f}, x[6], "decimal");
  }

  @Test
  void badRowsAndWrongColumnsSayWhatIsWrong() {
    FeatureSpace fs = space();
    HostPlan plan = HostPlan.of(fs.inputList(), List.of(fs.encodedFeatures()));
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(null, 1, 2.0),
        RowFactory.create("nurse", 1, Double.NaN)),
        StructType.fromDDL("job string, kids int, income double"));
    HostEncoder enc = new HostEncoder(plan, specs(df, plan, fs.columns(),
        RawColumnSpec.NullPolicy.FAIL), false, 0);
    RowBatcher b = new RowBatcher(rows(df).iterator(), enc, null, null, 4, BadRowPolicy.FAIL);
    BadRowException e = assertThrows(BadRowException.class, b::next);
    assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("column 'job' is "
        + "null"), e.getMessage());
    HostEncoder missing = new HostEncoder(plan, specs(df, plan, fs.columns(),
        RawColumnSpec.NullPolicy.MISSING), false, 0);
    RowBatcher skip = new RowBatcher(rows(df).iterator(), missing, null, null, 4,
        BadRowPolicy.FAIL);
    assertEquals(2, skip.next().size(), "a null job is the OOV index, a NaN income a 0");
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> RawColumnSpec.resolve(df.schema(), "income", "input 'job'",
            plan.inputKind(0), plan.inputShape(0), RawColumnSpec.NullPolicy.FAIL));
    assertTrue(wrong.getMessage().contains("takes strings") && wrong.getMessage().contains(
        "income"), wrong.getMessage());
  }

  @Test
  void encodingARowAllocatesNothing() {
    FeatureSpace fs = space();
    HostPlan plan = HostPlan.of(fs.inputList(), List.of(fs.encodedFeatures()));
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      data.add(RowFactory.create(JOBS[i % JOBS.length], i % 5, 0.25 * i));
    }
    Dataset<Row> df = spark.createDataFrame(data,
        StructType.fromDDL("job string, kids int, income double"));
    List<InternalRow> rows = rows(df);
    HostEncoder enc = new HostEncoder(plan, specs(df, plan, fs.columns(),
        RawColumnSpec.NullPolicy.FAIL), true, 0);
    float[][] x = new float[plan.boundary().size()][];
    for (int k = 0; k < x.length; k++) {
      x[k] = new float[64 * plan.boundarySize(k)];
    }
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long perRow = Long.MAX_VALUE;
    for (int round = 0; round < 6; round++) { // the last rounds run compiled code
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int rep = 0; rep < 2000; rep++) {
        for (int n = 0; n < 64; n++) {
          enc.encode(rows.get(n), x, n);
        }
      }
      perRow = Math.min(perRow, (mx.getCurrentThreadAllocatedBytes() - before) / (2000 * 64));
    }
    assertEquals(0, perRow, "bytes allocated per encoded row");
  }
}
