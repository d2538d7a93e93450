package io.sparkeras.api.trainers;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The compiled metrics, like Keras's {@code compile_utils.CompileMetrics}: the metrics given to
 * compile, resolved per output on first use ("accuracy" against each output's loss and shape),
 * each output with its own accumulators. With several outputs a metric's log key is prefixed by
 * its output's name ({@code "out_a_accuracy"}).
 */
final class CompileMetrics {
  private final List<Metric> userMetrics;
  private List<List<Metric>> metrics;
  private List<String> keyPrefixes;

  CompileMetrics(List<Metric> userMetrics) {
    this.userMetrics = List.copyOf(userMetrics);
  }

  /** The metrics given to compile, unresolved. */
  List<Metric> userMetrics() {
    return userMetrics;
  }

  boolean isResolved() {
    return metrics != null;
  }

  /** Resolves the metrics for these outputs (once). */
  void resolve(List<Loss> losses, List<int[]> outputShapes, List<String> outputNames) {
    if (metrics != null) {
      return;
    }
    List<List<Metric>> resolved = new ArrayList<>();
    for (int i = 0; i < outputShapes.size(); i++) {
      List<Metric> forOutput = new ArrayList<>();
      for (Metric m : userMetrics) {
        Metric r = Metrics.resolve(m, losses.get(i), outputShapes.get(i));
        // every output keeps its own accumulators
        forOutput.add(i == 0 ? r : fresh(r));
      }
      resolved.add(forOutput);
    }
    List<String> prefixes = new ArrayList<>();
    for (int i = 0; i < outputShapes.size(); i++) {
      prefixes.add(outputShapes.size() == 1 ? "" : outputNames.get(i) + "_");
    }
    keyPrefixes = prefixes;
    metrics = resolved;
  }

  private static Metric fresh(Metric m) {
    return Metric.REGISTRY.deserialize(Metric.REGISTRY.serialize(m));
  }

  /** The same resolved metrics with fresh accumulators (evaluation leaves training's alone). */
  CompileMetrics freshCopy() {
    CompileMetrics c = new CompileMetrics(userMetrics);
    c.keyPrefixes = keyPrefixes;
    c.metrics = new ArrayList<>();
    for (List<Metric> forOutput : metrics) {
      List<Metric> copies = new ArrayList<>();
      for (Metric m : forOutput) {
        copies.add(fresh(m));
      }
      c.metrics.add(copies);
    }
    return c;
  }

  /** Accumulates one batch's predictions against its targets. */
  void update(Batch batch, List<Tensor> outputs) {
    for (int i = 0; i < outputs.size(); i++) {
      List<Metric> ms = metrics.get(i);
      if (ms.isEmpty()) {
        continue;
      }
      float[] pred = outputs.get(i).toFloatArray();
      float[] yTrue = DataChecks.compact(batch.targets().get(i));
      int[] ps = outputs.get(i).shape();
      int[] predShape = Arrays.copyOfRange(ps, 1, ps.length);
      for (Metric m : ms) {
        m.updateState(yTrue, pred, batch.size(), predShape);
      }
    }
  }

  /** Clears every accumulator. */
  void reset() {
    if (metrics == null) {
      return;
    }
    for (List<Metric> ms : metrics) {
      for (Metric m : ms) {
        m.resetState();
      }
    }
  }

  /** Adds each metric's result to {@code logs}, keyed by its (prefixed) name. */
  void addResults(Map<String, Double> logs) {
    if (metrics == null) {
      return;
    }
    for (int i = 0; i < metrics.size(); i++) {
      for (Metric m : metrics.get(i)) {
        logs.put(keyPrefixes.get(i) + m.name(), m.result());
      }
    }
  }
}
