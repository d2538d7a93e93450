package io.sparkeras.ps;

import io.sparkeras.core.optim.UpdateRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Optimizers the tests cover, each with an independent reference implementation of the Keras 3
 * formula in double precision. {@link #supported()} keeps those {@code UpdateRules} knows, so
 * every optimizer added to core is tested here as soon as it is merged.
 */
public final class OptimizerCase {
  /** One step of a reference optimizer on double arrays. */
  public interface Reference {
    void step(double[] params, double[] grads, long t);
  }

  interface ReferenceFactory {
    Reference create(int n);
  }

  final String name;
  final Map<String, Object> config;
  final ReferenceFactory factory;
  final String label;

  OptimizerCase(String label, String name, Map<String, Object> config, ReferenceFactory factory) {
    this.label = label;
    this.name = name;
    this.config = config;
    this.factory = factory;
  }

  Reference reference(int n) {
    return factory.create(n);
  }

  @Override
  public String toString() {
    return label;
  }

  static List<OptimizerCase> all() {
    List<OptimizerCase> cases = new ArrayList<>();
    cases.add(new OptimizerCase("adam", "adam", PsTestSupport.adamConfig(false),
        n -> new PsTestSupport.RefAdam(n, 0.01, 0.8, 0.99, 1e-7, false)::step));
    cases.add(new OptimizerCase("adam(amsgrad)", "adam", PsTestSupport.adamConfig(true),
        n -> new PsTestSupport.RefAdam(n, 0.01, 0.8, 0.99, 1e-7, true)::step));
    return cases;
  }

  /** The cases whose optimizer name {@code UpdateRules.create} accepts. */
  public static List<OptimizerCase> supported() {
    List<OptimizerCase> result = new ArrayList<>();
    for (OptimizerCase c : all()) {
      try {
        UpdateRules.create(c.name, c.config);
        result.add(c);
      } catch (IllegalArgumentException e) {
        // not merged into core yet
      }
    }
    return result;
  }
}
