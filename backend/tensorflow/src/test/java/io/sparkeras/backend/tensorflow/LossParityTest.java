package io.sparkeras.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.layers.BackendParity;
import io.sparkeras.api.losses.BinaryCrossentropy;
import io.sparkeras.api.losses.CategoricalCrossentropy;
import io.sparkeras.api.losses.Huber;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.losses.SparseCategoricalCrossentropy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss registered in {@link Loss#REGISTRY} gives the same sample-weighted batch value and
 * the same gradient with respect to the predictions on the tensorflow backend as on torch
 * ({@link BackendParity#checkLoss}): probabilities and logits, label smoothing, and predictions
 * of rank 3 (a sequence model's {@code [batch, time, classes]}).
 */
class LossParityTest {
  private static final SplittableRandom R = new SplittableRandom(3);

  private static BackendParity parity() {
    return BackendParity.between("torch", "tensorflow");
  }

  private static float[] uniform(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (R.nextDouble() * 2 - 1);
    }
    return v;
  }

  private static float[] classes(int n, int k) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = R.nextInt(k);
    }
    return v;
  }

  private static float[] oneHot(float[] indices, int k) {
    float[] v = new float[indices.length * k];
    for (int i = 0; i < indices.length; i++) {
      v[i * k + (int) indices[i]] = 1;
    }
    return v;
  }

  /** The checks, by registered Keras class name. */
  static Map<String, Runnable> cases() {
    Map<String, Runnable> c = new LinkedHashMap<>();
    int[] matrix = {4, 3};
    int[] sequence = {4, 2, 3};
    c.put("MeanSquaredError", () -> {
      parity().checkLoss(Losses::mse, uniform(12), matrix, matrix, -1, 1);
      parity().checkLoss(Losses::mse, uniform(24), sequence, sequence, -1, 1);
    });
    c.put("MeanAbsoluteError", () -> {
      parity().checkLoss(Losses::mae, uniform(12), matrix, matrix, -1, 1);
      parity().checkLoss(Losses::mae, uniform(24), sequence, sequence, -1, 1);
    });
    c.put("Huber", () -> { // both sides of delta
      parity().checkLoss(() -> new Huber(0.5), uniform(12), matrix, matrix, -2, 2);
      parity().checkLoss(Huber::new, uniform(24), sequence, sequence, -3, 3);
    });
    c.put("BinaryCrossentropy", () -> {
      float[] labels = classes(12, 2);
      parity().checkLoss(BinaryCrossentropy::new, labels, matrix, matrix, 0.05f, 0.95f);
      parity().checkLoss(() -> new BinaryCrossentropy(true), labels, matrix, matrix, -3, 3);
      parity().checkLoss(() -> new BinaryCrossentropy(true, 0.1), labels, matrix, matrix, -3, 3);
    });
    c.put("CategoricalCrossentropy", () -> {
      float[] labels = oneHot(classes(4, 3), 3);
      float[] sequenceLabels = oneHot(classes(8, 3), 3);
      parity().checkLoss(CategoricalCrossentropy::new, labels, matrix, matrix, 0.05f, 0.95f);
      parity().checkLoss(() -> Losses.categoricalCrossentropy(true), labels, matrix, matrix,
          -3, 3);
      parity().checkLoss(() -> Losses.categoricalCrossentropy(true, 0.1), labels, matrix,
          matrix, -3, 3);
      parity().checkLoss(() -> Losses.categoricalCrossentropy(true), sequenceLabels, sequence,
          sequence, -3, 3);
    });
    c.put("SparseCategoricalCrossentropy", () -> {
      float[] labels = classes(4, 3);
      parity().checkLoss(SparseCategoricalCrossentropy::new, labels, new int[] {4}, matrix,
          0.05f, 0.95f);
      parity().checkLoss(() -> Losses.sparseCategoricalCrossentropy(true), labels,
          new int[] {4}, matrix, -3, 3);
      parity().checkLoss(() -> Losses.sparseCategoricalCrossentropy(true), classes(8, 3),
          new int[] {4, 2}, sequence, -3, 3);
    });
    return c;
  }

  @Test
  void everyRegisteredLossHasACase() {
    assertEquals(new TreeSet<>(Loss.REGISTRY.names()), new TreeSet<>(cases().keySet()));
  }

  @TestFactory
  Stream<DynamicTest> everyLossMatchesTorch() {
    return cases().entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().run()));
  }
}
