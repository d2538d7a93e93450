package io.sparkeras.api.tuner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which trial runs next, as KerasTuner's {@code Oracle}: it keeps the search space, every
 * trial and the search's random state; {@link #createTrial} hands out a trial (or says to wait, or
 * that the search is over), {@link #endTrial} records its result. Subclasses choose values in
 * {@link #populateSpace}: {@link RandomSearchOracle}, {@link GridSearchOracle},
 * {@link HyperbandOracle}, {@link BayesianOptimizationOracle}.
 *
 * <pre>{@code
 * Oracle oracle = new RandomSearchOracle(Objective.max("val_accuracy")).maxTrials(20).seed(1);
 * oracle.updateSpace(space);                       // from running the build function
 * Trial t = oracle.createTrial("slot-0");          // RUNNING, IDLE or STOPPED
 * oracle.endTrial(t.id(), List.of(execution));     // COMPLETED with its score
 * Map<String, Object> state = oracle.getState();   // JSON; Oracle.fromState(state) resumes
 * }</pre>
 *
 * <p>Every method is synchronized: the driver's trial threads share one oracle. After each
 * change the {@link Listener} (the tuner's state directory) is told, so a search interrupted at
 * any point resumes from the last change. As in KerasTuner, a failed trial is retried up to
 * {@code maxRetriesPerTrial} times, and {@code maxConsecutiveFailedTrials} failures in a row
 * stop the search with the last error.
 */
public abstract class Oracle {
  /** Told after every change of state (a new trial, an ended trial, a grown space). */
  public interface Listener {
    void changed(Oracle oracle, Trial trial);
  }

  /** What {@link #populateSpace} decided: run with these values, wait, or stop. */
  protected static final class Population {
    final TrialStatus status;
    final Map<String, Object> values;

    private Population(TrialStatus status, Map<String, Object> values) {
      this.status = status;
      this.values = values;
    }

    protected static Population run(Map<String, Object> values) {
      return new Population(TrialStatus.RUNNING, values);
    }

    protected static Population idle() {
      return new Population(TrialStatus.IDLE, null);
    }

    protected static Population stop() {
      return new Population(TrialStatus.STOPPED, null);
    }
  }

  private static final int MAX_COLLISIONS = 20;

  protected final Objective objective;
  protected int maxTrials;
  protected long seed = 1;
  protected long seedState = 1;
  protected int maxRetriesPerTrial;
  protected int maxConsecutiveFailedTrials = 3;
  protected boolean tuneNewEntries = true;
  protected HyperParameters space = new HyperParameters();
  protected final Map<String, Trial> trials = new LinkedHashMap<>();
  protected final Map<String, String> ongoing = new LinkedHashMap<>();
  protected final List<String> startOrder = new ArrayList<>();
  protected final List<String> endOrder = new ArrayList<>();
  private final Deque<String> retryQueue = new ArrayDeque<>();
  private final Set<String> triedSoFar = new LinkedHashSet<>();
  private Listener listener = (o, t) -> {};

  protected Oracle(Objective objective) {
    if (objective == null) {
      throw new IllegalArgumentException("objective: expected one, e.g. "
          + "Objective.max(\"val_accuracy\")");
    }
    this.objective = objective;
  }

  // ---- settings ------------------------------------------------------------------------------

  /** Trials to create at most (0: until the oracle stops by itself). */
  public Oracle maxTrials(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("max_trials: expected >= 0, found " + n);
    }
    this.maxTrials = n;
    return this;
  }

  /** The seed of every random choice (same seed, same trials). */
  public Oracle seed(long s) {
    this.seed = s;
    this.seedState = s;
    return this;
  }

  /** Retries of a failed trial before it is marked FAILED (default 0). */
  public Oracle maxRetriesPerTrial(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("max_retries_per_trial: expected >= 0, found " + n);
    }
    this.maxRetriesPerTrial = n;
    return this;
  }

  /** Failed trials in a row that stop the search (default 3). */
  public Oracle maxConsecutiveFailedTrials(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("max_consecutive_failed_trials: expected >= 1, found "
          + n);
    }
    this.maxConsecutiveFailedTrials = n;
    return this;
  }

  /** Whether parameters first seen during a trial join the search (default) or stay at default. */
  public Oracle tuneNewEntries(boolean v) {
    this.tuneNewEntries = v;
    return this;
  }

  /** Replaces the listener told of every change. */
  public synchronized void listener(Listener l) {
    this.listener = l == null ? (o, t) -> {} : l;
  }

  public Objective objective() {
    return objective;
  }

  public int maxTrials() {
    return maxTrials;
  }

  /** The kind, as saved in the state: {@code random_search}, {@code grid_search}, ... */
  public abstract String kind();

  // ---- the search ----------------------------------------------------------------------------

  /** The search space (a copy, without values). */
  public synchronized HyperParameters space() {
    return space.spaceOnly();
  }

  /**
   * Adds the parameters of {@code hps} that the space lacks (KerasTuner's {@code update_space}):
   * called with what a build function registered.
   */
  public synchronized void updateSpace(HyperParameters hps) {
    int before = space.space().size();
    if (tuneNewEntries) {
      space.merge(hps.space());
    } else {
      List<HyperParameter> fixed = new ArrayList<>();
      for (HyperParameter hp : hps.space()) {
        fixed.add(space.parameter(hp.name()) != null ? hp
            : FixedParameter.of(hp.name(), hp.defaultValue()).conditions(hp.conditions()));
      }
      space.merge(fixed);
    }
    if (space.space().size() != before) {
      listener.changed(this, null);
    }
  }

  /**
   * The next trial for {@code tunerId}: a retried trial first, else new values from
   * {@link #populateSpace}. Its status says RUNNING (run it), IDLE (wait for a running trial to
   * end) or STOPPED (the search is over).
   */
  public synchronized Trial createTrial(String tunerId) {
    String own = ongoing.get(tunerId);
    if (own != null) {
      return trials.get(own);
    }
    if (!retryQueue.isEmpty()) {
      Trial t = trials.get(retryQueue.poll());
      start(t, tunerId);
      return t;
    }
    String id = nextId();
    Population p;
    if (maxTrials > 0 && trials.size() >= maxTrials) {
      p = Population.stop();
    } else {
      p = populateSpace(id);
    }
    HyperParameters hps = space.copy();
    if (p.status != TrialStatus.RUNNING) {
      return new Trial(id, hps, p.status);
    }
    hps.setValues(p.values);
    Trial t = new Trial(id, hps, TrialStatus.RUNNING);
    triedSoFar.add(valuesHash(p.values));
    trials.put(id, t);
    startOrder.add(id);
    start(t, tunerId);
    return t;
  }

  private void start(Trial t, String tunerId) {
    t.status = TrialStatus.RUNNING;
    t.runs++;
    t.startedMs = System.currentTimeMillis();
    t.message = null;
    ongoing.put(tunerId, t.id());
    listener.changed(this, t);
  }

  private String nextId() {
    int width = maxTrials > 0 ? Math.max(2, String.valueOf(maxTrials).length()) : 4;
    return String.format("%0" + width + "d", trials.size());
  }

  /** Chooses the next trial's values; {@code trialId} is the id it will have. */
  protected abstract Population populateSpace(String trialId);

  /**
   * Ends a trial that ran: its executions' per-epoch logs give its metrics (each execution's
   * best epoch by the objective, averaged over executions) and score. A trial whose logs lack
   * the objective fails with a message that says so.
   */
  public synchronized Trial endTrial(String trialId, List<Execution> executions) {
    Trial t = running(trialId);
    t.executions.clear();
    t.executions.addAll(executions);
    t.metrics.clear();
    Map<String, Double> sums = new LinkedHashMap<>();
    double bestValue = Double.NaN;
    Integer bestStep = null;
    for (Execution e : executions) {
      int i = e.bestIndex(objective);
      if (i < 0) {
        return failTrial(trialId, "the objective '" + objective.name() + "' is not among the "
            + "trial's logs " + e.metrics().keySet() + "; give validation data or choose another "
            + "objective");
      }
      for (Map.Entry<String, Double> m : e.at(i).entrySet()) {
        sums.merge(m.getKey(), m.getValue(), Double::sum);
      }
      double v = e.metrics().get(objective.name())[i];
      if (bestStep == null || objective.better(v, bestValue)) {
        bestValue = v;
        bestStep = e.initialEpoch() + i;
      }
    }
    if (executions.isEmpty()) {
      return failTrial(trialId, "the trial ran no execution");
    }
    for (Map.Entry<String, Double> m : sums.entrySet()) {
      t.metrics.put(m.getKey(), m.getValue() / executions.size());
    }
    t.score = t.metrics.get(objective.name());
    t.bestStep = bestStep;
    t.status = TrialStatus.COMPLETED;
    finish(t);
    return t;
  }

  /**
   * Ends a trial that failed: it is queued again while it has retries left (KerasTuner's
   * {@code max_retries_per_trial}), else marked FAILED. Throws {@link IllegalStateException}
   * once {@code maxConsecutiveFailedTrials} trials in a row have failed.
   */
  public synchronized Trial failTrial(String trialId, String message) {
    Trial t = running(trialId);
    t.message = message;
    removeOngoing(trialId);
    if (t.runs < 1 + maxRetriesPerTrial) {
      t.status = TrialStatus.IDLE;
      retryQueue.add(trialId);
      listener.changed(this, t);
      notifyAll();
      return t;
    }
    t.status = TrialStatus.FAILED;
    finish(t);
    int inARow = 0;
    for (String id : endOrder) {
      inARow = trials.get(id).status == TrialStatus.FAILED ? inARow + 1 : 0;
    }
    if (inARow >= maxConsecutiveFailedTrials) {
      throw new IllegalStateException(inARow + " trials failed in a row (the limit is "
          + maxConsecutiveFailedTrials + "); the last one: " + message);
    }
    return t;
  }

  private void finish(Trial t) {
    t.endedMs = System.currentTimeMillis();
    removeOngoing(t.id());
    endOrder.add(t.id());
    onTrialEnd(t);
    listener.changed(this, t);
    notifyAll();
  }

  /** A subclass's hook after a trial ended (the grid queues its successor). */
  protected void onTrialEnd(Trial t) {}

  private Trial running(String trialId) {
    Trial t = trials.get(trialId);
    if (t == null || t.status != TrialStatus.RUNNING) {
      throw new IllegalStateException("trial " + trialId + " is not running ("
          + (t == null ? "unknown" : t.status) + ")");
    }
    return t;
  }

  private void removeOngoing(String trialId) {
    ongoing.values().removeIf(trialId::equals);
  }

  /**
   * Waits until a trial ends or {@code millis} pass: what a tuner thread does after an IDLE
   * answer, instead of polling.
   */
  public synchronized void awaitChange(long millis) throws InterruptedException {
    if (!ongoing.isEmpty()) {
      wait(millis);
    }
  }

  /**
   * After a restart: trials that were running when the search stopped run again (they count
   * neither as a retry nor as failed); finished trials are never run again.
   */
  public synchronized void requeueInterrupted() {
    for (Trial t : trials.values()) {
      if (t.status == TrialStatus.RUNNING) {
        t.status = TrialStatus.IDLE;
        t.runs = Math.max(0, t.runs - 1);
        retryQueue.addFirst(t.id());
      }
    }
    ongoing.clear();
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Every trial, in creation order. */
  public synchronized List<Trial> trials() {
    return new ArrayList<>(trials.values());
  }

  public synchronized Trial trial(String id) {
    return trials.get(id);
  }

  /** Trials that are running now. */
  public synchronized int ongoingCount() {
    return ongoing.size();
  }

  /** The {@code n} completed trials with the best scores, best first. */
  public synchronized List<Trial> bestTrials(int n) {
    List<Trial> done = new ArrayList<>();
    for (Trial t : trials.values()) {
      if (t.status == TrialStatus.COMPLETED && t.score != null && !t.score.isNaN()) {
        done.add(t);
      }
    }
    done.sort((a, b) -> objective.better(a.score, b.score) ? -1
        : objective.better(b.score, a.score) ? 1 : 0);
    return done.subList(0, Math.min(n, done.size()));
  }

  // ---- shared by subclasses ------------------------------------------------------------------

  /**
   * Random values for every active parameter, never a set tried before: KerasTuner's
   * {@code _random_values}, null after {@code 20} draws in a row that were all tried.
   */
  protected Map<String, Object> randomValues() {
    for (int collisions = 0; collisions <= MAX_COLLISIONS; collisions++) {
      HyperParameters hps = new HyperParameters();
      for (HyperParameter hp : space.space()) {
        hps.merge(List.of(hp));
        if (hps.isActive(hp)) {
          hps.put(hp.name(), hp.randomSample(seedState++));
        }
      }
      Map<String, Object> values = new LinkedHashMap<>(hps.values());
      if (!triedSoFar.contains(valuesHash(values))) {
        return values;
      }
    }
    return null;
  }

  /** Whether these values were tried already. */
  protected boolean tried(Map<String, Object> values) {
    return triedSoFar.contains(valuesHash(values));
  }

  /** A key for a set of values, independent of order and of number types. */
  protected static String valuesHash(Map<String, Object> values) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : new TreeMap<>(values).entrySet()) {
      if (e.getKey().startsWith("tuner/")) {
        continue;
      }
      Object v = e.getValue();
      b.append(e.getKey()).append('=').append(v instanceof Number
          ? Double.toString(((Number) v).doubleValue()) : String.valueOf(v)).append(';');
    }
    return b.toString();
  }

  // ---- state ---------------------------------------------------------------------------------

  /**
   * Everything needed to resume, as JSON values: settings, random state, space, trials, and the
   * subclass's own ({@link #putState}).
   */
  public synchronized Map<String, Object> getState() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("oracle", kind());
    m.put("objective", objective.toJson());
    m.put("max_trials", maxTrials);
    m.put("seed", seed);
    m.put("seed_state", seedState);
    m.put("max_retries_per_trial", maxRetriesPerTrial);
    m.put("max_consecutive_failed_trials", maxConsecutiveFailedTrials);
    m.put("tune_new_entries", tuneNewEntries);
    m.put("hyperparameters", space.spaceOnly().toJson());
    List<Object> ts = new ArrayList<>();
    for (Trial t : trials.values()) {
      ts.add(t.toJson());
    }
    m.put("trials", ts);
    m.put("ongoing_trials", new LinkedHashMap<>(ongoing));
    m.put("start_order", new ArrayList<>(startOrder));
    m.put("end_order", new ArrayList<>(endOrder));
    m.put("retry_queue", new ArrayList<>(retryQueue));
    m.put("tried_so_far", new ArrayList<>(triedSoFar));
    putState(m);
    return m;
  }

  /** Adds the subclass's state. */
  protected abstract void putState(Map<String, Object> state);

  /** Reads the subclass's state. */
  protected abstract void readState(Map<String, Object> state, String where);

  /** Restores {@link #getState()}'s form into this oracle (made with the same objective). */
  public synchronized void setState(Map<String, Object> m, String where) {
    Objective saved = Objective.fromJson(m.get("objective"), where + ".objective");
    if (!saved.equals(objective)) {
      throw new IllegalArgumentException(where + ".objective: the saved search optimises "
          + saved + ", this one " + objective + "; use another directory");
    }
    maxTrials = JsonValues.integer(m.get("max_trials"), where + ".max_trials");
    seed = ((Number) m.get("seed")).longValue();
    seedState = ((Number) m.get("seed_state")).longValue();
    maxRetriesPerTrial = JsonValues.integer(m.get("max_retries_per_trial"),
        where + ".max_retries_per_trial");
    maxConsecutiveFailedTrials = JsonValues.integer(m.get("max_consecutive_failed_trials"),
        where + ".max_consecutive_failed_trials");
    tuneNewEntries = JsonValues.bool(m.get("tune_new_entries"), where + ".tune_new_entries");
    space = HyperParameters.fromJson(m.get("hyperparameters"), where + ".hyperparameters");
    trials.clear();
    List<Object> ts = JsonValues.list(m.get("trials"), where + ".trials");
    for (int i = 0; i < ts.size(); i++) {
      Trial t = Trial.fromJson(ts.get(i), where + ".trials[" + i + "]");
      trials.put(t.id(), t);
    }
    ongoing.clear();
    for (Map.Entry<String, Object> e
        : JsonValues.map(m.get("ongoing_trials"), where + ".ongoing_trials").entrySet()) {
      ongoing.put(e.getKey(), String.valueOf(e.getValue()));
    }
    startOrder.clear();
    endOrder.clear();
    retryQueue.clear();
    triedSoFar.clear();
    for (Object o : JsonValues.list(m.get("start_order"), where + ".start_order")) {
      startOrder.add(String.valueOf(o));
    }
    for (Object o : JsonValues.list(m.get("end_order"), where + ".end_order")) {
      endOrder.add(String.valueOf(o));
    }
    for (Object o : JsonValues.list(m.get("retry_queue"), where + ".retry_queue")) {
      retryQueue.add(String.valueOf(o));
    }
    for (Object o : JsonValues.list(m.get("tried_so_far"), where + ".tried_so_far")) {
      triedSoFar.add(String.valueOf(o));
    }
    readState(m, where);
  }
}
