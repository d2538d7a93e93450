package io.sparkeras.driver;

import static io.sparkeras.driver.SparkTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.merging.Concatenate;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.CompileOptions;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Adam;
import io.sparkeras.driver.ml.KerasEstimator;
import io.sparkeras.driver.ml.KerasModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A model with two inputs and two outputs, per-output losses, loss weights, weighted metrics and
 * a sample weight column, on local[4]: sync fit, evaluate and predict equal the local ones; class
 * weights weigh as locally.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WeightsAndOutputsFitTest {
  static final int ROWS = 44;
  static final int BATCH = 8;
  static SparkSession spark;
  static float[] a;
  static float[] b;
  static int[] cls;
  static float[] reg;
  static float[] w;
  static Dataset<Row> df;

  @BeforeAll
  static void start() {
    spark = session("WeightsAndOutputsFitTest");
    SplittableRandom r = new SplittableRandom(9);
    a = new float[ROWS * 4];
    b = new float[ROWS * 2];
    cls = new int[ROWS];
    reg = new float[ROWS];
    w = new float[ROWS];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      float[] ai = new float[4];
      for (int j = 0; j < 4; j++) {
        ai[j] = a[i * 4 + j] = (float) r.nextGaussian();
      }
      b[2 * i] = (float) r.nextGaussian();
      b[2 * i + 1] = (float) r.nextGaussian();
      cls[i] = ai[0] + b[2 * i] > 0 ? (ai[1] > 0 ? 2 : 1) : 0;
      reg[i] = ai[2] - 0.5f * b[2 * i + 1];
      w[i] = 0.25f + (i % 5) * 0.5f;
      rows.add(RowFactory.create((long) i, ai, b[2 * i], b[2 * i + 1], cls[i], reg[i],
          (double) w[i]));
    }
    df = spark.createDataFrame(rows, StructType.fromDDL(
        "id bigint, img array<float>, m0 float, m1 float, label int, target float, weight double"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Inputs "image" (4) and "meta" (2); outputs "cls" (3, softmax) and "reg" (1). */
  static Model twoHeads() {
    Sparkeras.setRandomSeed(21);
    KerasTensor image = Input.named("image", 4);
    KerasTensor meta = Input.named("meta", 2);
    KerasTensor h = new Dense(6).activation("tanh").apply(new Concatenate().apply(image, meta));
    KerasTensor c = new Dense(3).activation("softmax").name("cls").apply(h);
    KerasTensor g = new Dense(1).name("reg").apply(h);
    Model m = new Model(List.of(image, meta), List.of(c, g));
    m.compile(new Adam(0.02), CompileOptions
        .losses(Map.of("cls", Losses.sparseCategoricalCrossentropy(), "reg", Losses.mse()))
        .lossWeights(Map.of("reg", 0.5))
        .metrics(Map.of("cls", List.of(Metrics.accuracy()), "reg", List.of(Metrics.get("mae"))))
        .weightedMetrics(Map.of("cls", List.of(Metrics.accuracy()))));
    return m;
  }

  static List<NDArray> x() {
    return List.of(NDArray.of(a, ROWS, 4), NDArray.of(b, ROWS, 2));
  }

  static List<NDArray> y() {
    return List.of(NDArray.ofLabels(cls), NDArray.of(reg, ROWS, 1));
  }

  static SparkTrainer trainer(Model m, int workers) {
    return SparkTrainer.of(spark, m).workers(workers)
        .features(Map.of("image", "img", "meta", "meta_cols"))
        .labels(Map.of("cls", "label", "reg", "target")).sampleWeightCol("weight");
  }

  /** The meta input is two numeric columns packed as one array column. */
  static Dataset<Row> frame() {
    return df.selectExpr("*", "array(m0, m1) as meta_cols");
  }

  @Test
  void syncFitEvaluateAndPredictEqualTheLocalOnes() {
    Model model = twoHeads();
    Model local = copy(model);
    FitOptions options = FitOptions.epochs(2).batchSize(BATCH).shuffle(false).verbose(0);
    History localHistory = local.fit(x(), y(), FitOptions.epochs(2).batchSize(BATCH)
        .shuffle(false).verbose(0).sampleWeight(NDArray.of(w, ROWS)));
    History h = trainer(model, 2).fit(frame(), options);
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, "two heads");
    for (String k : List.of("loss", "cls_loss", "reg_loss", "cls_accuracy",
        "cls_weighted_accuracy", "reg_mae")) {
      assertEquals(localHistory.last(k), h.last(k), 1e-5, k);
    }
    Map<String, Double> localEval = local.evaluate(x(), y(), NDArray.of(w, ROWS), 7);
    Map<String, Double> eval = trainer(model, 2).scoringBatchSize(7)
        .evaluate(frame().repartition(3));
    assertEquals(localEval.keySet(), eval.keySet());
    for (String k : localEval.keySet()) {
      assertEquals(localEval.get(k), eval.get(k), 1e-5, k);
    }
    // predict: one column per output, named after the output
    List<NDArray> expected = local.predictAll(x(), 16);
    List<Row> scored = trainer(model, 2).predict(frame().repartition(2)).orderBy("id")
        .select("id", "prediction_cls", "prediction_reg").collectAsList();
    assertEquals(ROWS, scored.size());
    for (int i = 0; i < ROWS; i++) {
      List<Float> p = scored.get(i).getList(1);
      for (int k = 0; k < 3; k++) {
        assertEquals(expected.get(0).get(i, k), p.get(k), 1e-5, "cls of row " + i);
      }
      assertEquals(expected.get(1).get(i, 0), scored.get(i).getFloat(2), 1e-5, "reg of row " + i);
    }
  }

  @Test
  void columnMappingErrorsNameTheInputOrOutput() {
    Model model = twoHeads();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.of(spark, model).fit(frame(), "img", "label", FitOptions.epochs(1)));
    assertTrue(e.getMessage().contains("2 inputs [image, meta]")
        && e.getMessage().contains("image=image_col"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(spark, model)
        .features(Map.of("image", "img", "metadata", "meta_cols"))
        .labels(Map.of("cls", "label", "reg", "target")).fit(frame(), FitOptions.epochs(1)));
    assertTrue(e.getMessage().contains("'metadata' is not an input"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> trainer(model, 2)
        .classWeight(Map.of(1, 2.0)).sampleWeightCol(null).fit(frame(), FitOptions.epochs(1)));
    assertTrue(e.getMessage().contains("one output"), e.getMessage());
  }

  /**
   * The Spark ML stages take the inputs and outputs by name and the weight column: the
   * estimator trains as the trainer does, the fitted model adds one column per output.
   */
  @Test
  void mlStagesTakeInputsAndOutputsByName() {
    Model model = twoHeads();
    Model viaTrainer = copy(model);
    KerasModel fitted = new KerasEstimator(model).setFeaturesCol("image=img,meta=meta_cols")
        .setLabelCol("cls=label,reg=target").setSampleWeightCol("weight").setWorkers(2)
        .setEpochs(2).setBatchSize(BATCH).setShuffle(false).fit(frame());
    trainer(viaTrainer, 2).fit(frame(), FitOptions.epochs(2).batchSize(BATCH).shuffle(false)
        .verbose(0));
    assertClose(viaTrainer.getFlatWeights(), fitted.model().getFlatWeights(), 1e-6, "estimator");
    assertTrue(fitted.history().containsKey("cls_weighted_accuracy"), fitted.history().toString());
    Dataset<Row> scored = fitted.transform(frame());
    assertEquals(fitted.transformSchema(frame().schema()), scored.schema());
    List<NDArray> expected = viaTrainer.predictAll(x(), 16);
    Row first = scored.orderBy("id").select("prediction_cls", "prediction_reg").first();
    assertEquals(expected.get(0).get(0, 2), first.<Float>getList(0).get(2), 1e-5);
    assertEquals(expected.get(1).get(0, 0), first.getFloat(1), 1e-5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fitted.setFeaturesCol("image=img").transformSchema(frame().schema()));
    assertTrue(e.getMessage().contains("no column for input 'meta'"), e.getMessage());
  }

  /** class_weight on a one-output classifier: the same weights as the local fit's. */
  @Test
  void classWeightsWeighAsLocally() {
    Model model = classifier(new Adam(0.01));
    Model local = copy(model);
    float[] x4 = Arrays.copyOf(a, ROWS * 4);
    Map<Integer, Double> weights = Map.of(0, 0.5, 2, 3.0);
    local.fit(NDArray.of(x4, ROWS, 4), NDArray.ofLabels(cls), FitOptions.epochs(2)
        .batchSize(BATCH).shuffle(false).verbose(0).classWeight(weights));
    SparkTrainer.of(spark, model).workers(2).classWeight(weights)
        .fit(df, "img", "label", FitOptions.epochs(2).batchSize(BATCH).shuffle(false).verbose(0));
    assertClose(local.getFlatWeights(), model.getFlatWeights(), 1e-5, "class weights");
  }
}
