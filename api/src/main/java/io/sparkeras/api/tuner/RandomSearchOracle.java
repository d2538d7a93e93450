package io.sparkeras.api.tuner;

import java.util.Map;

/**
 * Random search (KerasTuner's {@code RandomSearch}): each trial draws every active parameter
 * from its distribution, never repeating a set of values; the search stops after
 * {@code maxTrials} or when 20 draws in a row were all tried before.
 *
 * <pre>{@code
 * Oracle o = new RandomSearchOracle(Objective.max("val_accuracy")).maxTrials(20).seed(7);
 * }</pre>
 */
public final class RandomSearchOracle extends Oracle {
  public RandomSearchOracle(Objective objective) {
    super(objective);
  }

  @Override
  public String kind() {
    return "random_search";
  }

  @Override
  protected Population populateSpace(String trialId) {
    Map<String, Object> values = randomValues();
    return values == null ? Population.stop() : Population.run(values);
  }

  @Override
  protected void putState(Map<String, Object> state) {}

  @Override
  protected void readState(Map<String, Object> state, String where) {}
}
