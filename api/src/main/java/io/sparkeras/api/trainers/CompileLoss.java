package io.sparkeras.api.trainers;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Mean;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled loss, like Keras's {@code compile_utils.CompileLoss}: one loss per output, each
 * with the batch's sample weights ({@code sum(w × loss) / batch}) and times its loss weight,
 * summed. With several outputs each output's loss (sample-weighted, before its loss weight) is
 * also tracked as {@code <output>_loss}, as Keras logs it.
 */
final class CompileLoss {
  private final List<Loss> losses;
  private final double[] weights;
  /** Per-output trackers ({@code <output>_loss}); empty with one output. */
  private final List<Mean> trackers = new ArrayList<>();

  /**
   * @param weights one loss weight per output, or null (all 1)
   * @param outputNames the outputs' names (their trackers' keys), or null before the model is
   *     built
   */
  CompileLoss(List<Loss> losses, double[] weights, List<String> outputNames) {
    this.losses = List.copyOf(losses);
    this.weights = weights == null ? null : weights.clone();
    if (losses.size() > 1 && outputNames != null) {
      for (String name : outputNames) {
        trackers.add(new Mean(name + "_loss"));
      }
    }
  }

  List<Loss> losses() {
    return losses;
  }

  /** The loss weights given to compile, one per output, or null. */
  double[] weights() {
    return weights == null ? null : weights.clone();
  }

  /** The summed loss as a tensor, for backward; tracks each output's loss. */
  Tensor total(List<Tensor> outputs, Batch batch) {
    Tensor w = sampleWeights(batch);
    Tensor total = null;
    for (int i = 0; i < outputs.size(); i++) {
      Tensor l = losses.get(i).compute(target(batch, i), outputs.get(i), w);
      if (!trackers.isEmpty()) {
        trackers.get(i).update(l.item(), batch.size());
      }
      if (weights != null) {
        l = Backends.ops().multiply(l, weights[i]);
      }
      total = total == null ? l : Backends.ops().add(total, l);
    }
    return total;
  }

  /**
   * The summed loss as a number, each output's read on its own (evaluation); each output's
   * (weighted by the samples, not by its loss weight) goes to {@code perOutput} when there are
   * several.
   */
  double value(List<Tensor> outputs, Batch batch, List<Mean> perOutput) {
    Tensor w = sampleWeights(batch);
    double total = 0;
    for (int i = 0; i < outputs.size(); i++) {
      double l = losses.get(i).compute(target(batch, i), outputs.get(i), w).item();
      if (perOutput != null && !perOutput.isEmpty()) {
        perOutput.get(i).update(l, batch.size());
      }
      total += weights == null ? l : l * weights[i];
    }
    return total;
  }

  /** Fresh per-output trackers for an evaluation (empty with one output). */
  List<Mean> freshTrackers() {
    List<Mean> fresh = new ArrayList<>();
    for (Mean m : trackers) {
      fresh.add(new Mean(m.name()));
    }
    return fresh;
  }

  void reset() {
    trackers.forEach(Mean::resetState);
  }

  /** The per-output trackers ({@code <output>_loss}; empty with one output). */
  List<Mean> trackers() {
    return trackers;
  }

  private static Tensor target(Batch batch, int output) {
    NDArray y = batch.targets().get(output);
    return Backends.ops().fromArray(y.data(), y.offset(), y.shape());
  }

  private static Tensor sampleWeights(Batch batch) {
    NDArray w = batch.sampleWeights();
    return w == null ? null : Backends.ops().fromArray(w.data(), w.offset(),
        new int[] {w.length()});
  }

  /** Checks output {@code i}'s targets suit its loss (class ids in range, ...). */
  void validateTargets(int i, float[] values, int rows, int[] outputShape) {
    losses.get(i).validateTargets(values, rows, outputShape);
  }
}
