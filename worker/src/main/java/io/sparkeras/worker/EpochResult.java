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
  /** Seconds this task spent reading rows + forward/backward, pushing, and waiting in pulls. */
  public double computeSeconds;
  public double pushSeconds;
  public double pullSeconds;
  /** Evaluate with gathering: this partition's targets and predictions (flat), else null. */
  public float[] yTrue;
  public float[] yPred;
  /**
   * Training: the values of {@link TrainSpec#localRanges} (concatenated) at the end of the
   * epoch, i.e. this worker's non-trainable weights; null when there are none.
   */
  public float[] localWeights;

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
   * The sample-weighted mean of the tasks' {@link #localWeights}, or null when no task that saw
   * samples reported any (then the previous values stand).
   */
  public static float[] mergeLocalWeights(Iterable<EpochResult> results) {
    double[] sum = null;
    long total = 0;
    for (EpochResult r : results) {
      if (r.samples == 0 || r.localWeights == null) {
        continue;
      }
      if (sum == null) {
        sum = new double[r.localWeights.length];
      }
      for (int i = 0; i < sum.length; i++) {
        sum[i] += (double) r.localWeights[i] * r.samples;
      }
      total += r.samples;
    }
    if (sum == null) {
      return null;
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sum[i] / total);
    }
    return out;
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
