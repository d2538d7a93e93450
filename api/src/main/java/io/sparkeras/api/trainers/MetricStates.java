package io.sparkeras.api.trainers;

import io.sparkeras.api.metrics.Metric;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model's loss trackers and compiled metrics have accumulated, by log key, in a form that
 * several workers' parts merge by exactly: each metric's additive state ({@link Metric#state}:
 * totals, counts, confusion counts), summed over the parts and read through a fresh copy of the
 * metric, as Keras's metric variables would add up on one machine. A metric without such a state
 * merges as the mean of the parts' results weighted by their samples.
 *
 * <pre>{@code
 * MetricStates part = model.trainer().evaluateStates(partitionBatches);   // on each executor
 * Map<String, Double> logs = model.trainer().mergeStates(parts);         // on the driver
 * }</pre>
 */
public final class MetricStates implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String[] keys;
  private final double[][] states;
  private final double[] results;
  private final long samples;

  private MetricStates(String[] keys, double[][] states, double[] results, long samples) {
    this.keys = keys;
    this.states = states;
    this.results = results;
    this.samples = samples;
  }

  /** The states of {@code metrics} (logged as {@code keys}) after {@code samples} samples. */
  static MetricStates of(List<String> keys, List<? extends Metric> metrics, long samples) {
    String[] k = keys.toArray(new String[0]);
    double[][] s = new double[k.length][];
    double[] r = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      s[i] = metrics.get(i).state();
      r[i] = metrics.get(i).result();
    }
    return new MetricStates(k, s, r, samples);
  }

  /** The samples this part saw. */
  public long samples() {
    return samples;
  }

  /** The part's own results, by key. */
  public Map<String, Double> results() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], results[i]);
    }
    return m;
  }

  /**
   * The logs of all {@code parts} together: for each key of {@code keys} (in that order), the
   * summed states read through {@code fresh} (fresh copies of the same metrics), or the
   * sample-weighted mean of the parts' results. Parts without samples count for nothing.
   */
  static Map<String, Double> merge(List<MetricStates> parts, List<String> keys,
      List<? extends Metric> fresh) {
    Map<String, Double> logs = new LinkedHashMap<>();
    for (int k = 0; k < keys.size(); k++) {
      String key = keys.get(k);
      double[] sum = null;
      boolean additive = true;
      double weighted = 0;
      long total = 0;
      for (MetricStates p : parts) {
        int i = p.indexOf(key);
        if (i < 0 || p.samples == 0) {
          continue;
        }
        double[] s = p.states[i];
        if (s == null) {
          additive = false;
        } else if (sum == null) {
          sum = s.clone();
        } else {
          for (int j = 0; j < sum.length; j++) {
            sum[j] += s[j];
          }
        }
        weighted += p.results[i] * p.samples;
        total += p.samples;
      }
      if (total == 0) {
        continue;
      }
      if (additive && sum != null) {
        Metric m = fresh.get(k);
        m.setState(sum);
        logs.put(key, m.result());
      } else {
        logs.put(key, weighted / total);
      }
    }
    return logs;
  }

  private int indexOf(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
