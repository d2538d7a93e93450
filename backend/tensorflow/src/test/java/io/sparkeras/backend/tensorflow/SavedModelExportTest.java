package io.sparkeras.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.merging.Concatenate;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.regularization.Dropout;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * {@code model.exportSavedModel}: TensorFlow's own loader ({@code SavedModelBundle.load}, the
 * C++ loader TensorFlow Serving uses) runs the {@code serving_default} signature, named by the
 * model's inputs and outputs, with the predictions of {@code model.predict}, for batch sizes the
 * trace never saw.
 */
class SavedModelExportTest {
  @TempDir
  Path tmp;

  private static NDArray random(SplittableRandom r, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return NDArray.of(x, shape);
  }

  /** Runs the exported signature on {@code x} and checks every output against predict. */
  private static void assertServesLikePredict(Model model, Path dir, List<NDArray> x) {
    List<NDArray> expected = model.predictAll(x, 32);
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
      Signature sig = b.function(Signature.DEFAULT_KEY).signature();
      assertEquals(Set.copyOf(model.inputNames()), sig.inputNames(), "signature inputs");
      assertEquals(Set.copyOf(model.outputNames()), sig.outputNames(), "signature outputs");
      Map<String, org.tensorflow.Tensor> feed = new HashMap<>();
      List<TFloat32> tensors = new ArrayList<>();
      try {
        for (int i = 0; i < x.size(); i++) {
          long[] shape = java.util.Arrays.stream(x.get(i).shape()).asLongStream().toArray();
          TFloat32 t = TFloat32.tensorOf(Shape.of(shape),
              DataBuffers.of(x.get(i).data(), true, false));
          tensors.add(t);
          feed.put(model.inputNames().get(i), t);
        }
        try (Result r = b.call(feed)) {
          for (int k = 0; k < expected.size(); k++) {
            TFloat32 y = (TFloat32) r.get(model.outputNames().get(k)).orElseThrow();
            NDArray e = expected.get(k);
            assertArrayEquals(java.util.Arrays.stream(e.shape()).asLongStream().toArray(),
                y.shape().asArray(), "output " + k + " shape");
            float[] actual = new float[e.data().length];
            y.copyTo(DataBuffers.of(actual, false, false));
            assertArrayEquals(e.data(), actual, 1e-5f, "output " + model.outputNames().get(k));
          }
        }
      } finally {
        tensors.forEach(TFloat32::close);
      }
    }
  }

  @Test
  void mlpServesItsPredictions() throws Exception {
    Sparkeras.setRandomSeed(3);
    Sequential model = new Sequential(Input.of(6), new Dense(16).activation("relu"),
        new Dropout(0.5), new Dense(3).activation("softmax"));
    Path dir = tmp.resolve("mlp/1");
    model.exportSavedModel(dir.toString());
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    SplittableRandom r = new SplittableRandom(1);
    assertServesLikePredict(model, dir, List.of(random(r, 5, 6)));
    assertServesLikePredict(model, dir, List.of(random(r, 1, 6)));
  }

  @Test
  void trainedCnnWithBatchNormalizationServesItsPredictions() throws Exception {
    Sparkeras.setRandomSeed(5);
    Sequential model = new Sequential(Input.of(8, 8, 1),
        new Conv2D(4, 3).activation("relu"), new BatchNormalization(), new MaxPooling2D(2),
        new Flatten(), new Dense(10).activation("softmax"));
    SplittableRandom r = new SplittableRandom(2);
    NDArray x = random(r, 40, 8, 8, 1);
    int[] labels = new int[40];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(10);
    }
    model.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy());
    model.fit(x, NDArray.ofLabels(labels), FitOptions.epochs(1).batchSize(10).verbose(0));
    Path dir = tmp.resolve("cnn");
    model.exportSavedModel("file:" + dir);
    assertServesLikePredict(model, dir, List.of(random(r, 7, 8, 8, 1)));
  }

  @Test
  void twoInputTwoOutputModelServesByName() throws Exception {
    Sparkeras.setRandomSeed(9);
    KerasTensor numbers = Input.named("numbers", 5);
    KerasTensor extra = Input.named("extra", 2);
    KerasTensor h = new Dense(8).activation("tanh")
        .apply(new Concatenate(-1).apply(numbers, extra));
    Model model = new Model(List.of(numbers, extra), List.of(
        new Dense(2).name("score").apply(h),
        new Dense(1).activation("sigmoid").name("flag").apply(h)));
    Path dir = tmp.resolve("two");
    model.exportSavedModel(dir.toString());
    SplittableRandom r = new SplittableRandom(4);
    assertServesLikePredict(model, dir, List.of(random(r, 3, 5), random(r, 3, 2)));
  }

  @Test
  void anExistingDirectoryIsLeftAlone() throws Exception {
    Sequential model = new Sequential(Input.of(2), new Dense(1));
    Path dir = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(dir.resolve("keep.txt"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.exportSavedModel(dir.toString()));
    assertTrue(e.getMessage().contains("exists"), e.getMessage());
    assertEquals(List.of(dir.resolve("keep.txt")), Files.list(dir).toList());
    try (var siblings = Files.list(tmp)) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().contains("partial")));
    }
  }
}
