package io.sparkeras.api.callbacks;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A tiny classifier and separable synthetic data for fast callback tests. */
final class TinyModels {
  private TinyModels() {}

  /** Input(4) -> Dense(8, relu) -> Dense(3, softmax), Adam(lr), sparse CE, accuracy. */
  static Model classifier(double lr) {
    Model m = new Sequential(Input.of(4), new Dense(8).activation("relu"),
        new Dense(3).activation("softmax"));
    m.compile(new Adam(lr), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  /** n samples of 4 features; the label is the index of the largest of the first 3 features. */
  static NDArray[] data(int n, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[n][4];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) (r.nextGaussian() * 0.3);
      }
      x[i][y[i]] += 2f;
    }
    return new NDArray[] {NDArray.ofRows(x), NDArray.ofLabels(y)};
  }

  /** Records the weights and the logs at every epoch end. */
  static final class Recorder extends Callback {
    final List<float[]> weights = new ArrayList<>();
    final List<Map<String, Double>> logs = new ArrayList<>();

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> l) {
      weights.add(getModel().getFlatWeights());
      logs.add(Map.copyOf(l));
    }
  }
}
