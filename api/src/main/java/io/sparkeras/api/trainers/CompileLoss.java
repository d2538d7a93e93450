package io.sparkeras.api.trainers;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.losses.Loss;
import java.util.List;

/**
 * The compiled loss, like Keras's {@code compile_utils.CompileLoss}: one loss per output, summed.
 */
final class CompileLoss {
  private final List<Loss> losses;

  CompileLoss(List<Loss> losses) {
    this.losses = List.copyOf(losses);
  }

  List<Loss> losses() {
    return losses;
  }

  /** The summed loss as a tensor, for backward. */
  Tensor total(List<Tensor> outputs, Batch batch) {
    Tensor total = null;
    for (int i = 0; i < outputs.size(); i++) {
      Tensor l = losses.get(i).compute(target(batch, i), outputs.get(i));
      total = total == null ? l : Backends.ops().add(total, l);
    }
    return total;
  }

  /** The summed loss as a number, each output's read on its own (evaluation). */
  double value(List<Tensor> outputs, Batch batch) {
    double total = 0;
    for (int i = 0; i < outputs.size(); i++) {
      total += losses.get(i).compute(target(batch, i), outputs.get(i)).item();
    }
    return total;
  }

  private static Tensor target(Batch batch, int output) {
    NDArray y = batch.targets().get(output);
    return Backends.ops().fromArray(y.data(), y.offset(), y.shape());
  }

  /** Checks output {@code i}'s targets suit its loss (class ids in range, ...). */
  void validateTargets(int i, float[] values, int rows, int[] outputShape) {
    losses.get(i).validateTargets(values, rows, outputShape);
  }
}
