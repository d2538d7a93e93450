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
    // The optimizers being added to core, as Keras 3 computes them. Each is exercised as soon as
    // UpdateRules.create knows its name (see supported()).
    cases.add(new OptimizerCase("sgd", "sgd", Map.of("learning_rate", 0.01),
        n -> sgd(n, 0.01, 0.0, false)));
    cases.add(new OptimizerCase("sgd(momentum)", "sgd", Map.of("learning_rate", 0.01, "momentum", 0.9),
        n -> sgd(n, 0.01, 0.9, false)));
    cases.add(new OptimizerCase("sgd(nesterov)", "sgd",
        Map.of("learning_rate", 0.01, "momentum", 0.9, "nesterov", true), n -> sgd(n, 0.01, 0.9, true)));
    cases.add(new OptimizerCase("rmsprop", "rmsprop", Map.of("learning_rate", 0.01, "rho", 0.8),
        n -> rmsprop(n, 0.01, 0.8, 0.0, false)));
    cases.add(new OptimizerCase("rmsprop(momentum, centered)", "rmsprop",
        Map.of("learning_rate", 0.01, "rho", 0.8, "momentum", 0.5, "centered", true),
        n -> rmsprop(n, 0.01, 0.8, 0.5, true)));
    cases.add(new OptimizerCase("adagrad", "adagrad", Map.of("learning_rate", 0.01),
        n -> adagrad(n, 0.01, 0.1)));
    cases.add(new OptimizerCase("adamw", "adamw",
        Map.of("learning_rate", 0.01, "beta_1", 0.8, "beta_2", 0.99, "weight_decay", 0.1),
        n -> {
          PsTestSupport.RefAdam adam = new PsTestSupport.RefAdam(n, 0.01, 0.8, 0.99, 1e-7, false);
          return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
              p[i] -= p[i] * 0.1 * 0.01; // decoupled weight decay first, as Keras 3 does
            }
            adam.step(p, g, t);
          };
        }));
    return cases;
  }

  static Reference sgd(int n, double lr, double momentum, boolean nesterov) {
    double[] m = new double[n];
    return (p, g, t) -> {
      for (int i = 0; i < n; i++) {
        if (momentum == 0) {
          p[i] -= lr * g[i];
        } else {
          m[i] = momentum * m[i] - lr * g[i];
          p[i] += nesterov ? momentum * m[i] - lr * g[i] : m[i];
        }
      }
    };
  }

  static Reference rmsprop(int n, double lr, double rho, double momentum, boolean centered) {
    double eps = 1e-7;
    double[] v = new double[n];
    double[] avg = new double[n];
    double[] mom = new double[n];
    return (p, g, t) -> {
      for (int i = 0; i < n; i++) {
        v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
        double denom = v[i] + eps;
        if (centered) {
          avg[i] = rho * avg[i] + (1 - rho) * g[i];
          denom = v[i] - avg[i] * avg[i] + eps;
        }
        double inc = lr * g[i] / Math.sqrt(denom);
        if (momentum > 0) {
          mom[i] = momentum * mom[i] + inc;
          p[i] -= mom[i];
        } else {
          p[i] -= inc;
        }
      }
    };
  }

  static Reference adagrad(int n, double lr, double initial) {
    double[] acc = new double[n];
    java.util.Arrays.fill(acc, initial);
    return (p, g, t) -> {
      for (int i = 0; i < n; i++) {
        acc[i] += g[i] * g[i];
        p[i] -= lr * g[i] / Math.sqrt(acc[i] + 1e-7);
      }
    };
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
