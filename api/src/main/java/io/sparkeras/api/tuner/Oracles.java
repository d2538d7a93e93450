package io.sparkeras.api.tuner;

import java.util.Map;

/**
 * Makes an oracle from its saved state ({@link Oracle#getState()}), for resuming a search.
 *
 * <pre>{@code
 * Oracle o = Oracles.fromState(state, "oracle.json");
 * }</pre>
 */
public final class Oracles {
  private Oracles() {}

  /** The oracle the state describes, restored; {@code where} names the state in errors. */
  public static Oracle fromState(Map<String, Object> state, String where) {
    Objective objective = Objective.fromJson(state.get("objective"), where + ".objective");
    String kind = JsonValues.string(state.get("oracle"), where + ".oracle");
    Oracle o;
    switch (kind) {
      case "random_search":
        o = new RandomSearchOracle(objective);
        break;
      case "grid_search":
        o = new GridSearchOracle(objective);
        break;
      case "hyperband":
        o = new HyperbandOracle(objective);
        break;
      case "bayesian":
        o = new BayesianOptimizationOracle(objective);
        break;
      default:
        throw new IllegalArgumentException(where + ".oracle: expected random_search, "
            + "grid_search, hyperband or bayesian, found '" + kind + "'");
    }
    o.setState(state, where);
    return o;
  }
}
