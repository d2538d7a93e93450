package io.sparkeras.api.trainers;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The compiled metrics, like Keras's {@code compile_utils.CompileMetrics}: the metrics and the
 * weighted metrics given to compile for each output, resolved on first use ("accuracy" against
 * each output's loss and shape), each with its own accumulators. Log keys follow Keras: with
 * several outputs a metric's key is prefixed by its output's name ({@code "out_a_accuracy"}); a
 * weighted metric whose key a plain one already has becomes {@code weighted_<name>}.
 */
final class CompileMetrics {
  /** One resolved metric: its output, whether it takes the samples' weights, its log key. */
  record Entry(int output, Metric metric, boolean weighted, String key) {}

  private final List<List<Metric>> plain;
  private final List<List<Metric>> weighted;
  private List<Entry> entries;

  /**
   * @param plain each output's metrics (unresolved)
   * @param weighted each output's weighted metrics (unresolved)
   */
  CompileMetrics(List<List<Metric>> plain, List<List<Metric>> weighted) {
    this.plain = copy(plain);
    this.weighted = copy(weighted);
  }

  private static List<List<Metric>> copy(List<List<Metric>> lists) {
    List<List<Metric>> out = new ArrayList<>();
    for (List<Metric> l : lists) {
      out.add(List.copyOf(l));
    }
    return out;
  }

  /** The plain metrics given to compile, per output, unresolved. */
  List<List<Metric>> plain() {
    return plain;
  }

  /** The weighted metrics given to compile, per output, unresolved. */
  List<List<Metric>> weighted() {
    return weighted;
  }

  boolean isResolved() {
    return entries != null;
  }

  /** Resolves the metrics for these outputs (once). */
  void resolve(List<Loss> losses, List<int[]> outputShapes, List<String> outputNames) {
    if (entries != null) {
      return;
    }
    int outputs = outputShapes.size();
    List<Entry> resolved = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (boolean w : new boolean[] {false, true}) {
      List<List<Metric>> given = w ? weighted : plain;
      for (int i = 0; i < outputs && i < given.size(); i++) {
        String prefix = outputs == 1 ? "" : outputNames.get(i) + "_";
        for (Metric m : given.get(i)) {
          // every output and every use keeps its own accumulators
          Metric r = fresh(Metrics.resolve(m, losses.get(i), outputShapes.get(i)));
          String key = prefix + r.name();
          if (w && keys.contains(key)) {
            key = prefix + "weighted_" + r.name();
          }
          key = unique(key, keys);
          keys.add(key);
          resolved.add(new Entry(i, r, w, key));
        }
      }
    }
    entries = resolved;
  }

  private static String unique(String key, Set<String> taken) {
    if (!taken.contains(key)) {
      return key;
    }
    int k = 1;
    while (taken.contains(key + "_" + k)) {
      k++;
    }
    return key + "_" + k;
  }

  private static Metric fresh(Metric m) {
    return Metric.REGISTRY.deserialize(Metric.REGISTRY.serialize(m));
  }

  /** The same resolved metrics with fresh accumulators (evaluation leaves training's alone). */
  CompileMetrics freshCopy() {
    CompileMetrics c = new CompileMetrics(plain, weighted);
    c.entries = new ArrayList<>();
    for (Entry e : entries) {
      c.entries.add(new Entry(e.output(), fresh(e.metric()), e.weighted(), e.key()));
    }
    return c;
  }

  /** The resolved metrics, in log order. */
  List<Entry> entries() {
    return entries == null ? List.of() : entries;
  }

  /** Accumulates one batch's predictions against its targets (and its sample weights). */
  void update(Batch batch, List<Tensor> outputs) {
    float[] w = batch.sampleWeights() == null ? null : DataChecks.compact(batch.sampleWeights());
    float[][] preds = new float[outputs.size()][];
    for (Entry e : entries) {
      int o = e.output();
      if (preds[o] == null) {
        preds[o] = outputs.get(o).toFloatArray();
      }
      float[] yTrue = DataChecks.compact(batch.targets().get(o));
      int[] ps = outputs.get(o).shape();
      int[] predShape = Arrays.copyOfRange(ps, 1, ps.length);
      if (e.weighted()) {
        e.metric().updateState(yTrue, preds[o], w, batch.size(), predShape);
      } else {
        e.metric().updateState(yTrue, preds[o], batch.size(), predShape);
      }
    }
  }

  /** Clears every accumulator. */
  void reset() {
    for (Entry e : entries()) {
      e.metric().resetState();
    }
  }
}
