package io.sparkeras.api.layers.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout: the harness and
 * Keras's numbers at inference, Keras's statistics in training, seeds.
 */
class RegularizationLayersTest {
  private static final int[] SHAPE = {256, 8, 8, 16};

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Dropout(0.3, 1L).noiseShape(-1, 1, -1)).inputShape(4, 3).run();
    LayerTestHarness.of(() -> new SpatialDropout1D(0.3)).inputShape(4, 3).run();
    LayerTestHarness.of(() -> new SpatialDropout2D(0.3, 2L, DataFormat.CHANNELS_FIRST))
        .inputShape(2, 3, 3).run();
    LayerTestHarness.of(() -> new SpatialDropout3D(0.3)).inputShape(2, 2, 2, 3).run();
    LayerTestHarness.of(() -> new GaussianNoise(0.3, 3L)).inputShape(4).run();
    LayerTestHarness.of(() -> new GaussianDropout(0.3)).inputShape(4).run();
    LayerTestHarness.of(() -> new AlphaDropout(0.3).noiseShape(-1, 1)).inputShape(4).run();
  }

  @Test
  void identityAtInferenceMatchesKeras() {
    KerasReference.load("regularization_inference").check();
  }

  /** Keras records training=False on these nodes; the model's flag wins, as in Keras. */
  @Test
  void aKerasModelDropsInTraining() {
    KerasReference ref = KerasReference.load("regularization_inference");
    io.sparkeras.api.models.Model m = ref.model();
    io.sparkeras.api.data.NDArray x = ref.inputs().get(0);
    try (Scope s = Backends.current().scope(false)) {
      float[] dropout = m.callAll(java.util.List.of(Backends.ops().constant(x.toArray(),
          x.shape())), true).get(0).toFloatArray();
      int zeros = 0;
      for (float v : dropout) {
        zeros += v == 0 ? 1 : 0;
      }
      assertTrue(zeros > 0, "Dropout(0.3) dropped nothing in training");
    }
  }

  /** Keras's statistics of each layer's training output on ones (its random numbers differ). */
  @Test
  void trainingStatisticsMatchKeras() {
    JsonNode keras = KerasReference.load("regularization_training").extra();
    Map<String, Supplier<Layer>> layers = Map.of(
        "dropout", () -> new Dropout(0.3, 1L),
        "dropout_noise_shape", () -> new Dropout(0.5, 1L).noiseShape(-1, 1, 1, 16),
        "spatial_dropout2d", () -> new SpatialDropout2D(0.4, 2L, DataFormat.CHANNELS_LAST),
        "spatial_dropout2d_cf", () -> new SpatialDropout2D(0.4, 2L, DataFormat.CHANNELS_FIRST),
        "gaussian_noise", () -> new GaussianNoise(0.5, 3L),
        "gaussian_dropout", () -> new GaussianDropout(0.4, 3L),
        "alpha_dropout", () -> new AlphaDropout(0.2, 4L));
    for (Map.Entry<String, Supplier<Layer>> e : layers.entrySet()) {
      float[] y = trainOnOnes(e.getValue().get());
      JsonNode k = keras.get(e.getKey());
      double n = y.length;
      double zeros = 0;
      double sum = 0;
      double squares = 0;
      for (float v : y) {
        zeros += v == 0 ? 1 : 0;
        sum += v;
        squares += (double) v * v;
      }
      double mean = sum / n;
      double std = Math.sqrt(squares / n - mean * mean);
      // per-element draws: ~262k values; per-map draws (noise shapes): 4096 or fewer
      double tol = e.getKey().startsWith("spatial") || e.getKey().endsWith("shape") ? 0.05 : 0.01;
      String what = e.getKey() + ": ours zeros " + zeros / n + " mean " + mean + " std " + std
          + ", Keras " + k;
      assertEquals(k.get("zeros").asDouble(), zeros / n, tol, what);
      assertEquals(k.get("mean").asDouble(), mean, tol * 2, what);
      assertEquals(k.get("std").asDouble(), std, tol * 2, what);
      if (k.has("maps_dropped")) {
        assertEquals(k.get("maps_dropped").asDouble(), mapsDropped(y,
            e.getKey().endsWith("cf")), tol, what);
        assertEquals(zeros / n, mapsDropped(y, e.getKey().endsWith("cf")), 1e-9,
            e.getKey() + ": only whole maps are dropped");
      }
    }
  }

  private static float[] trainOnOnes(Layer layer) {
    float[] ones = new float[Arrays.stream(SHAPE).reduce(1, (a, b) -> a * b)];
    Arrays.fill(ones, 1f);
    try (Scope s = Backends.current().scope(false)) {
      return layer.apply(Backends.ops().constant(ones, SHAPE), true).toFloatArray();
    }
  }

  /** Fraction of (sample, channel) maps that are all zero in a [256, 8, 8, 16] output. */
  private static double mapsDropped(float[] y, boolean channelsFirst) {
    int maps = 0;
    int dropped = 0;
    int b = SHAPE[0];
    for (int s = 0; s < b; s++) {
      int channels = channelsFirst ? SHAPE[1] : SHAPE[3];
      for (int c = 0; c < channels; c++) {
        boolean all = true;
        for (int i = 0; i < 8; i++) {
          for (int j = 0; j < (channelsFirst ? 16 : 8); j++) {
            int idx = channelsFirst ? ((s * 8 + c) * 8 + i) * 16 + j
                : ((s * 8 + i) * 8 + j) * 16 + c;
            all &= y[idx] == 0;
          }
        }
        maps++;
        dropped += all ? 1 : 0;
      }
    }
    return dropped / (double) maps;
  }

  @Test
  void aSeedRepeatsTheRunAndEveryCallDrawsAgain() {
    float[] first = trainOnOnes(new Dropout(0.5, 9L));
    float[] again = trainOnOnes(new Dropout(0.5, 9L));
    assertArrayEquals(first, again, "same seed, same masks");
    Dropout d = new Dropout(0.5, 9L);
    assertFalse(Arrays.equals(trainOnOnes(d), trainOnOnes(d)), "successive calls differ");
    assertFalse(Arrays.equals(first, trainOnOnes(new Dropout(0.5, 10L))), "other seed");
    io.sparkeras.api.Sparkeras.setRandomSeed(5);
    float[] global = trainOnOnes(new GaussianNoise(0.5));
    io.sparkeras.api.Sparkeras.setRandomSeed(5);
    assertArrayEquals(global, trainOnOnes(new GaussianNoise(0.5)), "unseeded follows the global");
  }

  @Test
  void badSettingsNameTheArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GaussianNoise(1.5));
    assertTrue(e.getMessage().contains("stddev"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new AlphaDropout(-0.1));
    assertTrue(e.getMessage().contains("rate") && e.getMessage().contains("[0, 1)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> {
      try (Scope s = Backends.current().scope(false)) {
        new SpatialDropout2D(0.5).apply(Backends.ops().ones(2, 3, 4), true);
      }
    });
    assertTrue(e.getMessage().contains("rank 4"), e.getMessage());
  }
}
