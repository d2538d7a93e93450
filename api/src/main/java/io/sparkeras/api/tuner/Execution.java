package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-epoch logs of one training run of a trial (a trial runs {@code executions_per_trial}
 * of them): each metric's value per epoch, epochs counted from {@link #initialEpoch()}.
 *
 * <pre>{@code
 * Execution e = Execution.of(0, history.history());   // {"loss": [...], "val_accuracy": [...]}
 * int best = e.bestEpoch(Objective.max("val_accuracy"));
 * }</pre>
 */
public final class Execution {
  private final int initialEpoch;
  private final Map<String, double[]> metrics;

  private Execution(int initialEpoch, Map<String, double[]> metrics) {
    this.initialEpoch = initialEpoch;
    this.metrics = metrics;
  }

  /** From a History's lists; every list must have one value per epoch. */
  public static Execution of(int initialEpoch, Map<String, List<Double>> history) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : history.entrySet()) {
      double[] a = new double[e.getValue().size()];
      for (int i = 0; i < a.length; i++) {
        Double v = e.getValue().get(i);
        a[i] = v == null ? Double.NaN : v;
      }
      m.put(e.getKey(), a);
    }
    return new Execution(initialEpoch, m);
  }

  /** The epoch of the first value. */
  public int initialEpoch() {
    return initialEpoch;
  }

  /** Metric name to one value per epoch. */
  public Map<String, double[]> metrics() {
    return metrics;
  }

  /** Epochs run. */
  public int epochs() {
    int n = 0;
    for (double[] v : metrics.values()) {
      n = Math.max(n, v.length);
    }
    return n;
  }

  /** Index (from 0) of the best epoch by {@code objective}, or -1 when it was never logged. */
  public int bestIndex(Objective objective) {
    double[] v = metrics.get(objective.name());
    return v == null ? -1 : objective.bestIndex(v);
  }

  /** The value of each metric at epoch index {@code i}. */
  public Map<String, Double> at(int i) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : metrics.entrySet()) {
      if (i < e.getValue().length) {
        m.put(e.getKey(), e.getValue()[i]);
      }
    }
    return m;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("initial_epoch", initialEpoch);
    Map<String, Object> ms = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : metrics.entrySet()) {
      List<Object> l = new ArrayList<>();
      for (double d : e.getValue()) {
        l.add(JsonValues.encode(d));
      }
      ms.put(e.getKey(), l);
    }
    m.put("metrics", ms);
    return m;
  }

  static Execution fromJson(Object json, String where) {
    Map<String, Object> m = JsonValues.map(json, where);
    int initial = JsonValues.integer(m.get("initial_epoch"), where + ".initial_epoch");
    Map<String, double[]> ms = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e
        : JsonValues.map(m.get("metrics"), where + ".metrics").entrySet()) {
      List<Object> l = JsonValues.list(e.getValue(), where + ".metrics." + e.getKey());
      double[] a = new double[l.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = JsonValues.decode(l.get(i),
            where + ".metrics." + e.getKey() + "[" + i + "]");
      }
      ms.put(e.getKey(), a);
    }
    return new Execution(initial, ms);
  }
}
