package io.sparkeras.api.tuner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metric a search optimises and its direction (KerasTuner's {@code Objective}).
 *
 * <pre>{@code
 * Objective.max("val_accuracy");
 * Objective.min("val_loss");
 * Objective.of("val_auc");       // direction inferred as KerasTuner does: max
 * }</pre>
 */
public final class Objective {
  /** Whether larger or smaller values are better. */
  public enum Direction { MIN, MAX }

  private static final List<String> MAX_WORDS =
      List.of("acc", "accuracy", "auc", "precision", "recall", "f1");
  private static final List<String> MIN_WORDS =
      List.of("loss", "error", "mse", "mae", "mape", "msle", "crossentropy", "hinge");

  private final String name;
  private final Direction direction;

  private Objective(String name, Direction direction) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("objective: expected a metric name such as "
          + "'val_accuracy'");
    }
    this.name = name;
    this.direction = direction;
  }

  /** Larger is better. */
  public static Objective max(String name) {
    return new Objective(name, Direction.MAX);
  }

  /** Smaller is better. */
  public static Objective min(String name) {
    return new Objective(name, Direction.MIN);
  }

  /**
   * A metric name with the direction inferred from it (accuracy, AUC, precision, recall: max;
   * losses and errors: min), failing with what to do when it cannot be told.
   */
  public static Objective of(String name) {
    String base = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceFirst("^val_", "");
    for (String w : MIN_WORDS) {
      if (base.contains(w)) {
        return min(name);
      }
    }
    for (String w : MAX_WORDS) {
      if (base.contains(w)) {
        return max(name);
      }
    }
    throw new IllegalArgumentException("objective '" + name + "': cannot tell whether to "
        + "maximise or minimise it; use Objective.max or Objective.min");
  }

  public String name() {
    return name;
  }

  public Direction direction() {
    return direction;
  }

  /** Whether {@code a} is strictly better than {@code b} (NaN is never better). */
  public boolean better(double a, double b) {
    if (Double.isNaN(a)) {
      return false;
    }
    if (Double.isNaN(b)) {
      return true;
    }
    return direction == Direction.MAX ? a > b : a < b;
  }

  /** The index of the best value (first on ties), -1 if none is a number. */
  public int bestIndex(double[] values) {
    int best = -1;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i]) && (best < 0 || better(values[i], values[best]))) {
        best = i;
      }
    }
    return best;
  }

  /** The value as a loss to minimise: negated for MAX. */
  public double asMinimised(double v) {
    return direction == Direction.MAX ? -v : v;
  }

  /** {@code {"name": ..., "direction": "max"}} as KerasTuner writes it. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("direction", direction.name().toLowerCase(Locale.ROOT));
    return m;
  }

  static Objective fromJson(Object json, String where) {
    Map<String, Object> m = JsonValues.map(json, where);
    String n = JsonValues.string(m.get("name"), where + ".name");
    String d = JsonValues.string(m.get("direction"), where + ".direction");
    if (d.equals("max")) {
      return max(n);
    }
    if (d.equals("min")) {
      return min(n);
    }
    throw new IllegalArgumentException(where + ".direction: expected 'min' or 'max', found '"
        + d + "'");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Objective && ((Objective) o).name.equals(name)
        && ((Objective) o).direction == direction;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + direction.hashCode();
  }

  @Override
  public String toString() {
    return direction.name().toLowerCase(Locale.ROOT) + " " + name;
  }
}
