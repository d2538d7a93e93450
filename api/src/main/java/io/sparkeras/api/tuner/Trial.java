package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration tried by a search (KerasTuner's {@code Trial}): its hyperparameter values,
 * status, the per-epoch logs of each execution, the metrics at the best epoch (averaged over
 * executions, as KerasTuner does), the score (the objective among them), the best epoch, and
 * for a failed trial the error. Oracles make and change trials; everyone else reads them.
 *
 * <pre>{@code
 * Trial best = oracle.bestTrials(1).get(0);
 * System.out.println(best.id() + " " + best.hyperparameters().values() + " " + best.score());
 * }</pre>
 */
public final class Trial {
  private final String id;
  private final HyperParameters hyperparameters;
  TrialStatus status;
  final List<Execution> executions = new ArrayList<>();
  final Map<String, Double> metrics = new LinkedHashMap<>();
  Double score;
  Integer bestStep;
  String message;
  int runs;
  long startedMs;
  long endedMs;

  Trial(String id, HyperParameters hyperparameters, TrialStatus status) {
    this.id = id;
    this.hyperparameters = hyperparameters;
    this.status = status;
  }

  public String id() {
    return id;
  }

  /** The space as it was when the trial was made, with the trial's values. */
  public HyperParameters hyperparameters() {
    return hyperparameters;
  }

  public TrialStatus status() {
    return status;
  }

  /** The runs of the trial, each with its per-epoch logs. */
  public List<Execution> executions() {
    return Collections.unmodifiableList(executions);
  }

  /** Metrics at the best epoch, averaged over the executions. */
  public Map<String, Double> metrics() {
    return Collections.unmodifiableMap(metrics);
  }

  /** The objective's value among {@link #metrics()}, or null before the trial completed. */
  public Double score() {
    return score;
  }

  /** The best epoch (counted from 0 as in Keras's History), or null. */
  public Integer bestStep() {
    return bestStep;
  }

  /** Why a trial failed, or null. */
  public String message() {
    return message;
  }

  /** How many times the trial was started (retries included). */
  public int runs() {
    return runs;
  }

  /** Wall-clock start and end, milliseconds since the epoch (0 if not yet). */
  public long startedMs() {
    return startedMs;
  }

  public long endedMs() {
    return endedMs;
  }

  /** Epochs to train to (Hyperband's {@code tuner/epochs}), or {@code fallback}. */
  public int epochs(int fallback) {
    return hyperparameters.has(HyperbandOracle.EPOCHS) ? hyperparameters.getInt(HyperbandOracle.EPOCHS)
        : fallback;
  }

  /** The first epoch to train (Hyperband's {@code tuner/initial_epoch}), else 0. */
  public int initialEpoch() {
    return hyperparameters.has(HyperbandOracle.INITIAL_EPOCH)
        ? hyperparameters.getInt(HyperbandOracle.INITIAL_EPOCH) : 0;
  }

  /** The trial whose best checkpoint this one continues from (Hyperband), or null. */
  public String continuesFrom() {
    return hyperparameters.has(HyperbandOracle.TRIAL_ID)
        ? hyperparameters.getString(HyperbandOracle.TRIAL_ID) : null;
  }

  /** KerasTuner's {@code trial.json} fields, plus the executions' per-epoch logs. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trial_id", id);
    m.put("hyperparameters", hyperparameters.toJson());
    m.put("status", status.name());
    Map<String, Object> ms = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      ms.put(e.getKey(), JsonValues.encode(e.getValue()));
    }
    m.put("metrics", ms);
    m.put("score", score == null ? null : JsonValues.encode(score));
    m.put("best_step", bestStep);
    m.put("message", message);
    m.put("runs", runs);
    m.put("started_ms", startedMs);
    m.put("ended_ms", endedMs);
    List<Object> ex = new ArrayList<>();
    for (Execution e : executions) {
      ex.add(e.toJson());
    }
    m.put("executions", ex);
    return m;
  }

  /** Reads {@link #toJson()}'s form. */
  public static Trial fromJson(Object json, String where) {
    Map<String, Object> m = JsonValues.map(json, where);
    String id = JsonValues.string(m.get("trial_id"), where + ".trial_id");
    HyperParameters hps = HyperParameters.fromJson(m.get("hyperparameters"),
        where + ".hyperparameters");
    String st = JsonValues.string(m.get("status"), where + ".status");
    TrialStatus status;
    try {
      status = TrialStatus.valueOf(st);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ".status: unknown status '" + st + "'", e);
    }
    Trial t = new Trial(id, hps, status);
    Object ms = m.get("metrics");
    if (ms != null) {
      for (Map.Entry<String, Object> e : JsonValues.map(ms, where + ".metrics").entrySet()) {
        t.metrics.put(e.getKey(), JsonValues.decode(e.getValue(), where + ".metrics."
            + e.getKey()));
      }
    }
    t.score = m.get("score") == null ? null
        : JsonValues.decode(m.get("score"), where + ".score");
    t.bestStep = m.get("best_step") == null ? null
        : JsonValues.integer(m.get("best_step"), where + ".best_step");
    t.message = m.get("message") == null ? null : String.valueOf(m.get("message"));
    t.runs = m.get("runs") == null ? 0 : JsonValues.integer(m.get("runs"), where + ".runs");
    t.startedMs = m.get("started_ms") == null ? 0 : ((Number) m.get("started_ms")).longValue();
    t.endedMs = m.get("ended_ms") == null ? 0 : ((Number) m.get("ended_ms")).longValue();
    Object ex = m.get("executions");
    if (ex != null) {
      List<Object> l = JsonValues.list(ex, where + ".executions");
      for (int i = 0; i < l.size(); i++) {
        t.executions.add(Execution.fromJson(l.get(i), where + ".executions[" + i + "]"));
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return "Trial " + id + " " + status + " " + hyperparameters.values()
        + (score == null ? "" : " score " + score);
  }
}
