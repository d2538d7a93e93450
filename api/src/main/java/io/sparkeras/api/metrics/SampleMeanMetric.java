package io.sparkeras.api.metrics;

import java.util.Arrays;

/**
 * Keras's {@code MeanMetricWrapper} on host arrays: a function gives one value per sample and the
 * metric is the running mean of those values over every sample seen since the last reset.
 * Targets must hold one value per prediction value (a rank-1 target pairs with one output unit).
 *
 * <pre>{@code class MyMetric extends SampleMeanMetric { double sampleValue(...) { ... } } }</pre>
 */
abstract class SampleMeanMetric extends MeanMetric {
  protected SampleMeanMetric(String name) {
    super(name);
  }

  /**
   * The value of one sample whose targets and predictions are {@code yTrue[offset, offset + n)} and
   * {@code yPred[offset, offset + n)}; {@code lastDim} is the size of the last prediction axis.
   */
  abstract double sampleValue(float[] yTrue, float[] yPred, int offset, int n, int lastDim);

  @Override
  public void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape) {
    updateState(yTrue, yPred, null, rows, predShape);
  }

  /** Keras's {@code Mean} of the sample values weighted by the samples' weights. */
  @Override
  public void updateState(float[] yTrue, float[] yPred, float[] sampleWeight, int rows,
      int[] predShape) {
    int per = product(predShape);
    if (yPred.length != (long) rows * per) {
      throw new IllegalArgumentException(name() + ": this batch has " + yPred.length
          + " prediction values for " + rows + " samples; expected " + per
          + " per sample (prediction shape " + Arrays.toString(predShape) + ")");
    }
    if (yTrue.length != (long) rows * per) {
      throw new IllegalArgumentException(name() + ": this batch has " + yTrue.length
          + " target values for " + rows + " samples; expected " + per
          + " per sample to match the prediction shape " + Arrays.toString(predShape));
    }
    int lastDim = predShape.length == 0 ? 1 : predShape[predShape.length - 1];
    for (int r = 0; r < rows; r++) {
      add(sampleValue(yTrue, yPred, r * per, per, lastDim), weightOf(sampleWeight, r));
    }
  }
}
