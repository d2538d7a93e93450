package io.sparkeras.worker.tuner;

import io.sparkeras.api.tuner.Execution;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trial's task sends back to the driver: each execution's per-epoch logs (plain arrays),
 * the rows it trained on and its seconds. The model itself stays on the Hadoop path of the
 * checkpoint.
 */
public final class TrialOutcome implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int initialEpoch;
  private final List<Map<String, double[]>> executions = new ArrayList<>();
  private final long rows;
  private final double seconds;

  TrialOutcome(int initialEpoch, List<Map<String, List<Double>>> histories, long rows,
      double seconds) {
    this.initialEpoch = initialEpoch;
    for (Map<String, List<Double>> h : histories) {
      Map<String, double[]> m = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : h.entrySet()) {
        double[] a = new double[e.getValue().size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = e.getValue().get(i);
        }
        m.put(e.getKey(), a);
      }
      executions.add(m);
    }
    this.rows = rows;
    this.seconds = seconds;
  }

  private TrialOutcome(TrialOutcome o, double seconds) {
    this.initialEpoch = o.initialEpoch;
    this.executions.addAll(o.executions);
    this.rows = o.rows;
    this.seconds = seconds;
  }

  /** The same logs with another duration (reading the rows included). */
  TrialOutcome withSeconds(double s) {
    return new TrialOutcome(this, s);
  }

  /** The executions as the oracle records them. */
  public List<Execution> executions() {
    List<Execution> out = new ArrayList<>();
    for (Map<String, double[]> m : executions) {
      Map<String, List<Double>> h = new LinkedHashMap<>();
      for (Map.Entry<String, double[]> e : m.entrySet()) {
        List<Double> l = new ArrayList<>();
        for (double d : e.getValue()) {
          l.add(d);
        }
        h.put(e.getKey(), l);
      }
      out.add(Execution.of(initialEpoch, h));
    }
    return out;
  }

  /** Training rows the trial saw. */
  public long rows() {
    return rows;
  }

  /** Seconds the task spent (reading rows and training). */
  public double seconds() {
    return seconds;
  }
}
