package io.sparkeras.core.constraints;

import io.sparkeras.core.config.KerasConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link FlatConstraint} from a Keras constraint name and {@code get_config()}:
 * {@code MaxNorm} / {@code max_norm} ({@code max_value} 2, {@code axis} 0), {@code MinMaxNorm} /
 * {@code min_max_norm} ({@code min_value} 0, {@code max_value} 1, {@code rate} 1, {@code axis} 0),
 * {@code NonNeg} / {@code non_neg}, {@code UnitNorm} / {@code unit_norm} ({@code axis} 0). An
 * {@code axis} is an integer or a list of integers, negative counting from the end, as in NumPy.
 *
 * <pre>{@code
 * FlatConstraint c = Constraints.create("MinMaxNorm",
 *     Map.of("min_value", 0.5, "max_value", 1.0, "rate", 0.7, "axis", 0), new int[] {8, 4});
 * }</pre>
 */
public final class Constraints {
  /** The Keras class names, in their snake-case spelling too. */
  public static final List<String> NAMES = List.of("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm");

  private Constraints() {}

  /** The Keras class name for a class name or its snake-case alias, or null if unknown. */
  public static String className(String name) {
    String k = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("_", "");
    for (String n : NAMES) {
      if (n.toLowerCase(Locale.ROOT).equals(k)) {
        return n;
      }
    }
    return null;
  }

  /**
   * A constraint for a variable of this shape; the config keys are checked (an unknown key, a
   * value out of range or an axis outside the shape fails with a message naming it).
   */
  public static FlatConstraint create(String name, Map<String, ?> config, int[] shape) {
    String cls = className(name);
    if (cls == null) {
      throw new IllegalArgumentException("constraint: unknown name '" + name + "'; expected one of "
          + NAMES + " (or max_norm, min_max_norm, non_neg, unit_norm)");
    }
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("constraint " + cls + ": the variable's shape must be "
            + "known, found " + Arrays.toString(shape));
      }
    }
    String owner = "constraint " + cls;
    int size = 1;
    for (int d : shape) {
      size *= d;
    }
    switch (cls) {
      case "NonNeg":
        KerasConfig.of(owner, config, Set.of());
        return new NonNeg(size);
      case "UnitNorm": {
        KerasConfig c = KerasConfig.of(owner, config, Set.of("axis"));
        return new NormConstraint(NormConstraint.Kind.UNIT, 0, 0, 1, shape,
            reduced(c, shape));
      }
      case "MaxNorm": {
        KerasConfig c = KerasConfig.of(owner, config, Set.of("max_value", "axis"));
        double max = c.number("max_value", 2.0, 0, true, Double.POSITIVE_INFINITY, false);
        return new NormConstraint(NormConstraint.Kind.MAX, 0, max, 1, shape, reduced(c, shape));
      }
      default: {
        KerasConfig c = KerasConfig.of(owner, config,
            Set.of("min_value", "max_value", "rate", "axis"));
        double min = c.number("min_value", 0.0, 0, true, Double.POSITIVE_INFINITY, false);
        double max = c.number("max_value", 1.0, 0, true, Double.POSITIVE_INFINITY, false);
        c.checkRange("max_value", max, min, true, Double.POSITIVE_INFINITY, false);
        double rate = c.number("rate", 1.0, 0, true, 1, true);
        return new NormConstraint(NormConstraint.Kind.MIN_MAX, min, max, rate, shape,
            reduced(c, shape));
      }
    }
  }

  /** Which axes the norm sums over: {@code axis} (default 0), an integer or a list. */
  private static boolean[] reduced(KerasConfig c, int[] shape) {
    Object axis = c.has("axis") ? c.raw("axis") : 0;
    boolean[] r = new boolean[shape.length];
    List<?> axes = axis instanceof List ? (List<?>) axis : List.of(axis);
    for (Object a : axes) {
      if (!(a instanceof Number) || ((Number) a).doubleValue() != Math.rint(((Number) a)
          .doubleValue())) {
        throw c.fail("axis", "an integer or a list of integers", KerasConfig.describe(axis));
      }
      int v = ((Number) a).intValue();
      int k = v < 0 ? v + shape.length : v;
      if (k < 0 || k >= shape.length) {
        throw c.fail("axis", "axes of a variable of shape " + Arrays.toString(shape),
            KerasConfig.describe(axis));
      }
      r[k] = true;
    }
    return r;
  }
}
