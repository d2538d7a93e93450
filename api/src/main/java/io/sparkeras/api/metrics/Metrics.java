package io.sparkeras.api.metrics;

import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import java.util.Locale;

/**
 * Factories for the built-in metrics and Keras's resolution of {@code "accuracy"}: with a sparse
 * categorical loss it is sparse categorical accuracy, with a binary loss or one output unit binary
 * accuracy, otherwise categorical accuracy — always logged as "accuracy".
 *
 * <pre>{@code
 * model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 * }</pre>
 */
public final class Metrics {
  private Metrics() {}

  /** "accuracy", resolved against the loss at compile time. */
  public static Metric accuracy() {
    return new AutoAccuracy();
  }

  /**
   * A metric by Keras name ("accuracy", "auc", "precision", "recall", "mse", "mae", ...). As in
   * Keras's {@code compile}, a metric named by a function alias ("mse", "mae") is logged under
   * that alias; class names ("auc", "Precision") keep the class's default name.
   */
  public static Metric get(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("accuracy") || n.equals("acc")) {
      return accuracy();
    }
    if (n.equals("mse") || n.equals("mae")) {
      return Metric.REGISTRY.create(n, java.util.Map.of("name", n));
    }
    return Metric.REGISTRY.deserialize(name);
  }

  /** Keras's {@code AUC()}: ROC, 200 thresholds, interpolation. */
  public static Metric auc() {
    return new AUC();
  }

  /** Keras's {@code Precision()} at threshold 0.5. */
  public static Metric precision() {
    return new Precision();
  }

  /** Keras's {@code Recall()} at threshold 0.5. */
  public static Metric recall() {
    return new Recall();
  }

  /** Mean squared error, logged as "mean_squared_error". */
  public static Metric meanSquaredError() {
    return new MeanSquaredError();
  }

  /** Mean absolute error, logged as "mean_absolute_error". */
  public static Metric meanAbsoluteError() {
    return new MeanAbsoluteError();
  }

  /** Replaces an auto "accuracy" by the concrete metric for this loss and output shape. */
  public static Metric resolve(Metric m, Loss loss, int[] outputShape) {
    if (!(m instanceof AutoAccuracy)) {
      return m;
    }
    if (loss instanceof SparseCategoricalCrossentropy) {
      return new SparseCategoricalAccuracy("accuracy");
    }
    String lossName = loss.name();
    boolean binary = lossName.contains("binary")
        || (outputShape.length > 0 && outputShape[outputShape.length - 1] == 1);
    if (binary && Metric.REGISTRY.contains("BinaryAccuracy")) {
      return Metric.REGISTRY.create("BinaryAccuracy", java.util.Map.of("name", "accuracy"));
    }
    if (Metric.REGISTRY.contains("CategoricalAccuracy")) {
      return Metric.REGISTRY.create("CategoricalAccuracy", java.util.Map.of("name", "accuracy"));
    }
    throw new IllegalArgumentException("metric 'accuracy': cannot resolve it for loss '" + lossName
        + "'");
  }

  /** The unresolved "accuracy" of {@link #accuracy()}. */
  static final class AutoAccuracy extends Metric {
    AutoAccuracy() {
      super("accuracy");
    }

    @Override
    public String compileAlias() {
      return "accuracy";
    }

    @Override
    public void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape) {
      throw new IllegalStateException("metric 'accuracy' used before model.compile resolved it");
    }

    @Override
    public double result() {
      return 0;
    }

    @Override
    public void resetState() {}
  }
}
