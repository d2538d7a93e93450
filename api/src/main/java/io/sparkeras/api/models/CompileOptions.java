package io.sparkeras.api.models;

import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword arguments of Keras's {@code compile} besides the optimizer, for models with
 * several outputs and for weighted metrics: losses and metrics per output (by the output's
 * name, or one for every output), loss weights, and {@code weighted_metrics} (metrics that take
 * the samples' weights, Keras's {@code sample_weight} / {@code class_weight}).
 *
 * <pre>{@code
 * model.compile(new Adam(1e-3), CompileOptions
 *     .losses(Map.of("class", Losses.sparseCategoricalCrossentropy(), "box", Losses.mse()))
 *     .lossWeights(Map.of("class", 1.0, "box", 0.5))
 *     .metrics(Map.of("class", List.of(Metrics.accuracy())))
 *     .weightedMetrics(Metrics.accuracy()));
 * }</pre>
 *
 * <p>A metric given for every output is resolved against each output's loss ("accuracy") and
 * logged with the output's name in front when there are several ({@code class_accuracy}); a
 * weighted metric whose key a plain one already has is logged as {@code weighted_<name>}, as in
 * Keras.
 */
public final class CompileOptions {
  private Loss loss;
  private List<Loss> lossList;
  private Map<String, Loss> lossMap;
  private double[] weightList;
  private Map<String, Double> weightMap;
  private final Metrics metrics = new Metrics();
  private final Metrics weighted = new Metrics();

  private CompileOptions() {}

  /** One loss for every output. */
  public static CompileOptions loss(Loss loss) {
    CompileOptions o = new CompileOptions();
    o.loss = require(loss, "loss");
    return o;
  }

  /** One loss per output, in the model's output order. */
  public static CompileOptions losses(List<Loss> losses) {
    CompileOptions o = new CompileOptions();
    if (losses == null || losses.isEmpty() || losses.stream().anyMatch(l -> l == null)) {
      throw new IllegalArgumentException("compile: a loss is required for every output");
    }
    o.lossList = List.copyOf(losses);
    return o;
  }

  /** One loss per output, by the output's name (every output needs one). */
  public static CompileOptions losses(Map<String, Loss> losses) {
    CompileOptions o = new CompileOptions();
    if (losses == null || losses.isEmpty()
        || losses.values().stream().anyMatch(l -> l == null)) {
      throw new IllegalArgumentException("compile: a loss is required for every output");
    }
    o.lossMap = new LinkedHashMap<>(losses);
    return o;
  }

  /** The loss weights, one per output in output order (Keras's {@code loss_weights}). */
  public CompileOptions lossWeights(double... weights) {
    weightList = weights.clone();
    weightMap = null;
    return this;
  }

  /** The loss weights by output name; an output not named weighs 1. */
  public CompileOptions lossWeights(Map<String, Double> weights) {
    weightMap = new LinkedHashMap<>(weights);
    weightList = null;
    return this;
  }

  /** Metrics of every output (not weighted by the samples' weights). */
  public CompileOptions metrics(Metric... ms) {
    metrics.all(Arrays.asList(ms));
    return this;
  }

  /** Metrics by output name (outputs not named have none). */
  public CompileOptions metrics(Map<String, List<Metric>> byOutput) {
    metrics.byOutput(byOutput);
    return this;
  }

  /** Metrics of every output weighted by the samples' weights (Keras's weighted_metrics). */
  public CompileOptions weightedMetrics(Metric... ms) {
    weighted.all(Arrays.asList(ms));
    return this;
  }

  /** Weighted metrics by output name. */
  public CompileOptions weightedMetrics(Map<String, List<Metric>> byOutput) {
    weighted.byOutput(byOutput);
    return this;
  }

  /** The losses, one per output of {@code outputNames}. */
  public List<Loss> resolveLosses(List<String> outputNames) {
    int n = outputNames.size();
    if (loss != null) {
      return Collections.nCopies(Math.max(1, n), loss);
    }
    if (lossList != null) {
      if (n > 0 && lossList.size() != n) {
        throw new IllegalArgumentException("compile: the model has " + n + " outputs "
            + outputNames + ", found " + lossList.size() + " losses");
      }
      return lossList;
    }
    checkNames("losses", lossMap.keySet(), outputNames);
    List<Loss> out = new ArrayList<>();
    for (String name : outputNames) {
      Loss l = lossMap.get(name);
      if (l == null) {
        throw new IllegalArgumentException("compile: losses: no loss for output '" + name
            + "'; expected one for every output " + outputNames);
      }
      out.add(l);
    }
    return out;
  }

  /** The loss weights, one per output, or null when none were given. */
  public double[] resolveLossWeights(List<String> outputNames) {
    if (weightList != null) {
      if (weightList.length != Math.max(1, outputNames.size())) {
        throw new IllegalArgumentException("compile: lossWeights: expected one per output "
            + outputNames + ", found " + weightList.length);
      }
      return weightList.clone();
    }
    if (weightMap == null) {
      return null;
    }
    checkNames("lossWeights", weightMap.keySet(), outputNames);
    double[] out = new double[outputNames.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = weightMap.getOrDefault(outputNames.get(i), 1.0);
    }
    return out;
  }

  /** The plain metrics of each output. */
  public List<List<Metric>> resolveMetrics(List<String> outputNames) {
    return metrics.resolve("metrics", outputNames);
  }

  /** The weighted metrics of each output. */
  public List<List<Metric>> resolveWeightedMetrics(List<String> outputNames) {
    return weighted.resolve("weightedMetrics", outputNames);
  }

  /** The metrics given for every output, or null when given by output. */
  public List<Metric> metricsForEveryOutput() {
    return metrics.all;
  }

  static void checkNames(String what, java.util.Set<String> names, List<String> outputNames) {
    for (String name : names) {
      if (!outputNames.contains(name)) {
        throw new IllegalArgumentException("compile: " + what + ": '" + name + "' is not an "
            + "output of the model; its outputs are " + outputNames);
      }
    }
  }

  private static <T> T require(T v, String what) {
    if (v == null) {
      throw new IllegalArgumentException("compile: " + what + " is required");
    }
    return v;
  }

  /** Metrics for every output, or by output name. */
  private static final class Metrics {
    List<Metric> all = List.of();
    Map<String, List<Metric>> byOutput;

    void all(List<Metric> ms) {
      if (ms.stream().anyMatch(m -> m == null)) {
        throw new IllegalArgumentException("compile: a metric is null");
      }
      all = List.copyOf(ms);
      byOutput = null;
    }

    void byOutput(Map<String, List<Metric>> ms) {
      byOutput = new LinkedHashMap<>();
      for (Map.Entry<String, List<Metric>> e : ms.entrySet()) {
        byOutput.put(e.getKey(), List.copyOf(e.getValue()));
      }
      all = null;
    }

    List<List<Metric>> resolve(String what, List<String> outputNames) {
      int n = Math.max(1, outputNames.size());
      List<List<Metric>> out = new ArrayList<>();
      if (all != null) {
        for (int i = 0; i < n; i++) {
          out.add(all);
        }
        return out;
      }
      checkNames(what, byOutput.keySet(), outputNames);
      for (String name : outputNames) {
        out.add(byOutput.getOrDefault(name, List.of()));
      }
      return out;
    }
  }
}
