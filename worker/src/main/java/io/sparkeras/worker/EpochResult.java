package io.sparkeras.worker;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one task reports at the end of an epoch (or an evaluation pass): the samples it used,
 * its loss and metric results over them (so that the driver merges them weighted by samples), and
 * bad rows skipped.
 */
public final class EpochResult implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int partition;
  public final int steps;
  public final long samples;
  public final long skipped;
  public final String[] names;
  public final double[] values;

  public EpochResult(int partition, int steps, long samples, long skipped, Map<String, Double> logs) {
    this.partition = partition;
    this.steps = steps;
    this.samples = samples;
    this.skipped = skipped;
    this.names = logs.keySet().toArray(new String[0]);
    this.values = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = logs.get(names[i]);
    }
  }

  /**
   * Merges results: each log weighted by its task's samples. Exact for the loss and for metrics
   * that are means over samples (accuracy, MSE, MAE, ...); an approximation for metrics whose
   * state is not a sample mean (AUC, precision, recall).
   */
  public static Map<String, Double> merge(Iterable<EpochResult> results) {
    Map<String, Double> sums = new LinkedHashMap<>();
    long total = 0;
    for (EpochResult r : results) {
      if (r.samples == 0) {
        continue;
      }
      total += r.samples;
      for (int i = 0; i < r.names.length; i++) {
        sums.merge(r.names[i], r.values[i] * r.samples, Double::sum);
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      out.put(e.getKey(), e.getValue() / total);
    }
    return out;
  }
}
