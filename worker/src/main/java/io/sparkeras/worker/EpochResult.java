package io.sparkeras.worker;

import io.sparkeras.api.trainers.MetricStates;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one task reports at the end of an epoch (or an evaluation pass): the samples it used,
 * the states of its loss and metrics over them (which the driver merges exactly with the other
 * tasks', {@code Trainer.mergeStates}), and bad rows skipped.
 */
public final class EpochResult implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int partition;
  public final int steps;
  public final long samples;
  public final long skipped;
  /** The loss trackers' and metrics' states over this task's samples. */
  public final MetricStates logs;
  /** Seconds this task spent reading rows + forward/backward, pushing, and waiting in pulls. */
  public double computeSeconds;
  public double pushSeconds;
  public double pullSeconds;
  /** Sync and async: the share of the gradient floats pushed while backward still ran. */
  public double pushedDuringBackward;
  /**
   * Training: the values of {@link TrainSpec#localRanges} (concatenated) at the end of the
   * epoch, i.e. this worker's non-trainable weights; null when there are none.
   */
  public float[] localWeights;

  public EpochResult(int partition, int steps, long samples, long skipped, MetricStates logs) {
    this.partition = partition;
    this.steps = steps;
    this.samples = samples;
    this.skipped = skipped;
    this.logs = logs;
  }

  /** The tasks' loss and metric states, for {@code Trainer.mergeStates}. */
  public static List<MetricStates> logsOf(Iterable<EpochResult> results) {
    List<MetricStates> out = new ArrayList<>();
    for (EpochResult r : results) {
      out.add(r.logs);
    }
    return out;
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
}
