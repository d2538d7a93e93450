package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid search (KerasTuner's {@code GridSearch}): every combination of every parameter's
 * {@link HyperParameter#values()} in a fixed order, the last parameter changing fastest and each
 * parameter's default first; parameters found during the search join the grid at their default.
 * A float without a step, and an int with log sampling and no step, contribute ten values.
 *
 * <pre>{@code
 * Oracle o = new GridSearchOracle(Objective.min("val_loss"));   // until the grid is exhausted
 * }</pre>
 *
 * <p>As in KerasTuner, the successor of each started trial is queued (so parallel slots get
 * work before the first trial ends) and queued again when it ends (in case it found new
 * parameters); a combination is skipped when the next trial in grid order already has it.
 */
public final class GridSearchOracle extends Oracle {
  /** Trial ids in grid order of their values. */
  private final List<String> orderedIds = new ArrayList<>();
  /** Trials whose successor in the grid is still to be made. */
  private final List<String> populateNext = new ArrayList<>();

  public GridSearchOracle(Objective objective) {
    super(objective);
  }

  @Override
  public String kind() {
    return "grid_search";
  }

  @Override
  protected Population populateSpace(String trialId) {
    Map<String, Object> values = null;
    if (startOrder.isEmpty()) {
      orderedIds.add(trialId);
      HyperParameters hps = space.spaceOnly();
      hps.ensureActiveValues();
      values = new LinkedHashMap<>(hps.values());
    }
    while (!populateNext.isEmpty() && values == null) {
      String old = populateNext.remove(0);
      Map<String, Object> next = nextCombination(trials.get(old).hyperparameters().values());
      if (next == null) {
        continue;
      }
      int at = orderedIds.indexOf(old) + 1;
      if (at < orderedIds.size()
          && compare(next, trials.get(orderedIds.get(at)).hyperparameters().values()) >= 0) {
        continue;
      }
      orderedIds.add(at, trialId);
      values = next;
    }
    if (values != null) {
      populateNext.add(trialId);
      return Population.run(values);
    }
    return ongoing.isEmpty() ? Population.stop() : Population.idle();
  }

  @Override
  protected void onTrialEnd(Trial t) {
    populateNext.add(t.id());
  }

  /** KerasTuner's {@code _get_next_combination}: bump the last active parameter that can be. */
  Map<String, Object> nextCombination(Map<String, Object> values) {
    HyperParameters hps = space.spaceOnly();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (hps.parameter(e.getKey()) != null) {
        hps.put(e.getKey(), e.getValue());
      }
    }
    List<HyperParameter> params = hps.space();
    boolean bumped = false;
    for (int i = params.size() - 1; i >= 0; i--) {
      HyperParameter hp = params.get(i);
      if (hps.isActive(hp) && hps.has(hp.name())) {
        List<Object> order = hp.gridOrder();
        int at = indexIn(order, hps.get(hp.name()));
        if (at < order.size() - 1) {
          hps.put(hp.name(), order.get(at + 1));
          bumped = true;
          break;
        }
      }
      hps.put(hp.name(), hp.defaultValue());
    }
    if (!bumped) {
      return null;
    }
    hps.ensureActiveValues();
    return new LinkedHashMap<>(hps.values());
  }

  /** Grid order of two value sets: the first parameter where they differ decides. */
  int compare(Map<String, Object> a, Map<String, Object> b) {
    for (HyperParameter hp : space.space()) {
      if (!a.containsKey(hp.name()) || !b.containsKey(hp.name())) {
        continue;
      }
      Object va = a.get(hp.name());
      Object vb = b.get(hp.name());
      if (HyperParameter.sameValue(va, vb)) {
        continue;
      }
      List<Object> order = hp.gridOrder();
      return Integer.compare(indexIn(order, va), indexIn(order, vb));
    }
    return 0;
  }

  private static int indexIn(List<Object> order, Object v) {
    for (int i = 0; i < order.size(); i++) {
      if (HyperParameter.sameValue(order.get(i), v)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  protected void putState(Map<String, Object> state) {
    state.put("ordered_ids", new ArrayList<>(orderedIds));
    state.put("populate_next", new ArrayList<>(populateNext));
  }

  @Override
  protected void readState(Map<String, Object> state, String where) {
    orderedIds.clear();
    populateNext.clear();
    for (Object o : JsonValues.list(state.get("ordered_ids"), where + ".ordered_ids")) {
      orderedIds.add(String.valueOf(o));
    }
    for (Object o : JsonValues.list(state.get("populate_next"), where + ".populate_next")) {
      populateNext.add(String.valueOf(o));
    }
  }
}
