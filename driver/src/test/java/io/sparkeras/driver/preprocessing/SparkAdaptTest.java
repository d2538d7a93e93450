package io.sparkeras.driver.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.Columns;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.preprocessing.Discretization;
import io.sparkeras.api.layers.preprocessing.IntegerLookup;
import io.sparkeras.api.layers.preprocessing.Normalization;
import io.sparkeras.api.layers.preprocessing.StringLookup;
import io.sparkeras.api.layers.preprocessing.TextVectorization;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.worker.RawColumnSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adapt over a DataFrame (real local[2] Spark, 3 partitions) equals adapt over the same rows in
 * memory: vocabularies and moments exactly, quantile boundaries within the summary's error.
 */
class SparkAdaptTest {
  private static final int N = 3000;
  private static SparkSession spark;
  private static Dataset<Row> table;
  private static String[] jobs;
  private static long[] kids;
  private static double[] income;
  private static String[][] tags;
  private static String[] notes;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("SparkAdaptTest")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    SplittableRandom r = new SplittableRandom(5);
    String[] names = {"clerk", "engineer", "nurse", "driver", "chef", "pilot"};
    jobs = new String[N];
    kids = new long[N];
    income = new double[N];
    tags = new String[N][];
    notes = new String[N];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      jobs[i] = names[(int) Math.min(5, Math.abs(r.nextGaussian()) * 2.2)];
      kids[i] = r.nextInt(4) + (i % 97 == 0 ? 100 : 0);
      income[i] = Math.exp(10 + r.nextGaussian());
      tags[i] = new String[] {names[r.nextInt(6)], names[r.nextInt(3)]};
      notes[i] = "The " + jobs[i] + " has " + kids[i] + " kids!";
      rows.add(RowFactory.create(jobs[i], kids[i], income[i], (int) kids[i], i % 2 == 0,
          Arrays.asList(tags[i]), notes[i]));
    }
    StructType schema = new StructType().add("job", DataTypes.StringType)
        .add("kids", DataTypes.LongType).add("income", DataTypes.DoubleType)
        .add("kids_int", DataTypes.IntegerType).add("flag", DataTypes.BooleanType)
        .add("tags", DataTypes.createArrayType(DataTypes.StringType))
        .add("note", DataTypes.StringType);
    table = spark.createDataFrame(rows, schema).repartition(3);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static FeatureSpace space() {
    return FeatureSpace.builder()
        .feature("job", FeatureSpace.stringCategorical())
        .feature("kids", FeatureSpace.integerCategorical())
        .feature("income", FeatureSpace.floatNormalized())
        .feature("income_bins", FeatureSpace.floatDiscretized(8))
        .cross("job", "kids", 64)
        .build();
  }

  private static Columns columns() {
    float[] inc = new float[N];
    for (int i = 0; i < N; i++) {
      inc[i] = (float) income[i];
    }
    return Columns.of("job", jobs).with("kids", kids).with("income", inc)
        .with("income_bins", inc);
  }

  @Test
  void featureSpaceAdaptsInOnePassLikeInMemory() {
    FeatureSpace onSpark = space();
    SparkAdapt adapt = SparkAdapt.of(table.withColumn("income_bins", table.col("income")));
    adapt.adapt(onSpark);
    assertEquals(1, adapt.passes(), "one Spark job over the data");
    FeatureSpace inMemory = space().adapt(columns());
    assertEquals(lookup(inMemory, "job").getVocabulary(), lookup(onSpark, "job").getVocabulary());
    assertEquals(((IntegerLookup) inMemory.preprocessors().get("kids")).getVocabulary(),
        ((IntegerLookup) onSpark.preprocessors().get("kids")).getVocabulary());
    Normalization a = (Normalization) inMemory.preprocessors().get("income");
    Normalization b = (Normalization) onSpark.preprocessors().get("income");
    assertArrayEquals(a.mean(), b.mean(), "moments are exact whatever the partitioning");
    assertArrayEquals(a.variance(), b.variance());
    double[] memory = ((Discretization) inMemory.preprocessors().get("income_bins"))
        .binBoundaries();
    double[] spark = ((Discretization) onSpark.preprocessors().get("income_bins"))
        .binBoundaries();
    assertEquals(memory.length, spark.length);
    double[] sorted = income.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < memory.length; i++) {
      double err = Math.abs(rank(sorted, memory[i]) - rank(sorted, spark[i]));
      assertTrue(err <= 0.02, "boundary " + i + ": ranks differ by " + err + " (memory "
          + memory[i] + ", spark " + spark[i] + ")");
    }
    // income 1 + job 6 and OOV + kids 8 and OOV + 8 bins + 64 crossed bins
    assertEquals(1 + 7 + 9 + 8 + 64, onSpark.encodedFeatures().shape()[0]);
  }

  private static StringLookup lookup(FeatureSpace fs, String name) {
    return (StringLookup) fs.preprocessors().get(name);
  }

  private static double rank(double[] sorted, double x) {
    int i = Arrays.binarySearch(sorted, x);
    return (i < 0 ? -i - 1 : i) / (double) sorted.length;
  }

  @Test
  void modelAdaptsLayerAfterLayerAcrossPasses() {
    // a Normalization after an adaptable lookup must wait for the lookup: two passes
    KerasTensor tags = Input.named("tags", "string", 2);
    StringLookup lookup = new StringLookup();
    Normalization norm = new Normalization();
    KerasTensor out = norm.apply(lookup.apply(tags));
    KerasTensor text = Input.named("note", "string", 1);
    TextVectorization tv = new TextVectorization().outputMode("count");
    Model model = new Model(List.of(tags, text), List.of(out, tv.apply(text)));
    SparkAdapt adapt = SparkAdapt.of(table);
    adapt.adapt(model, List.of("tags", "note"));
    assertEquals(2, adapt.passes());

    StringLookup l2 = new StringLookup();
    l2.adapt(tags(SparkAdaptTest.tags));
    assertEquals(l2.getVocabulary(), lookup.getVocabulary());
    Normalization n2 = new Normalization();
    float[][] idx = new float[N][2];
    List<String> v = new ArrayList<>();
    for (Object o : l2.getVocabulary()) {
      v.add((String) o);
    }
    for (int i = 0; i < N; i++) {
      idx[i][0] = v.indexOf(SparkAdaptTest.tags[i][0]);
      idx[i][1] = v.indexOf(SparkAdaptTest.tags[i][1]);
    }
    n2.adapt(idx);
    assertArrayEquals(n2.mean(), norm.mean());
    TextVectorization tv2 = new TextVectorization().outputMode("count");
    tv2.adapt(notes);
    assertEquals(tv2.getVocabulary(), tv.getVocabulary());
  }

  private static String[][] tags(String[][] t) {
    return t;
  }

  @Test
  void nullsFailNamingTheColumnOrBecomeMissing() {
    Dataset<Row> withNull = table.selectExpr("CASE WHEN kids_int = 2 AND flag THEN NULL ELSE job "
        + "END AS job", "kids_int AS kids");
    FeatureSpace fs = FeatureSpace.builder().feature("job", FeatureSpace.stringCategorical())
        .feature("kids", FeatureSpace.integerCategorical()).build();
    SparkException e = assertThrows(SparkException.class, () -> SparkAdapt.adapt(fs, withNull));
    assertTrue(String.valueOf(e.getMessage()).contains("column 'job' is null"), e.getMessage());
    FeatureSpace missing = FeatureSpace.builder()
        .feature("job", FeatureSpace.stringCategorical())
        .feature("kids", FeatureSpace.integerCategorical()).build();
    SparkAdapt.of(withNull).nulls(RawColumnSpec.NullPolicy.MISSING).adapt(missing);
    assertEquals(lookup(space().adapt(columns()), "job").getVocabulary(),
        lookup(missing, "job").getVocabulary(), "nulls are not counted");
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> SparkAdapt.adapt(FeatureSpace.builder().feature("job",
            FeatureSpace.integerCategorical()).build(), table));
    assertTrue(wrong.getMessage().contains("input 'job' takes integers"), wrong.getMessage());
  }
}
