package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Output shapes found by running a layer once on zeros (a batch of one, unknown sizes taken as
 * 1), like Keras's default {@code compute_output_spec}; for layers that do not declare their
 * shapes.
 */
final class ShapeInference {
  private ShapeInference() {}

  /** The shapes (batch excluded) of every output of {@code layer} called on zeros. */
  static List<int[]> byRunning(Layer layer, List<int[]> inputShapes, Map<String, Object> args) {
    try (Scope s = Backends.current().scope(false)) {
      CallArgs call = CallArgs.of(Layer.zerosLike(inputShapes)).training(false);
      for (Map.Entry<String, Object> e : args.entrySet()) {
        call.arg(e.getKey(), Node.mapArg(e.getValue(), KerasTensor.class,
            t -> zerosLike(t.shape())));
      }
      layer.ensureBuilt(inputShapes);
      List<int[]> out = new ArrayList<>();
      for (Tensor t : layer.call(call)) {
        int[] full = t.shape();
        out.add(Arrays.copyOfRange(full, 1, full.length));
      }
      return out;
    }
  }

  /** A batch of one all-zero sample of this shape (batch excluded; unknown sizes become 1). */
  static Tensor zerosLike(int[] shape) {
    int[] full = new int[shape.length + 1];
    full[0] = 1;
    for (int i = 0; i < shape.length; i++) {
      full[i + 1] = shape[i] < 0 ? 1 : shape[i];
    }
    return Backends.ops().zeros(full);
  }
}
