package io.sparkeras.api.tuner;

import java.util.Locale;

/**
 * How a numeric hyperparameter's range is sampled, as KerasTuner's {@code sampling} argument:
 * a draw {@code p} in [0, 1) becomes a value in [min, max].
 *
 * <pre>{@code
 * double lr = hp.floatRange("lr", 1e-4, 1e-2, Sampling.LOG);   // as likely in [1e-4, 1e-3) as in [1e-3, 1e-2)
 * }</pre>
 *
 * <ul>
 *   <li>{@code LINEAR}: {@code min + p (max - min)};</li>
 *   <li>{@code LOG}: {@code min (max / min)^p} (min must be positive);</li>
 *   <li>{@code REVERSE_LOG}: {@code max + min - min (max / min)^(1 - p)}, dense near max.</li>
 * </ul>
 */
public enum Sampling {
  LINEAR, LOG, REVERSE_LOG;

  /** KerasTuner's name: {@code linear}, {@code log}, {@code reverse_log}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses KerasTuner's name; {@code where} names the value in the error. */
  public static Sampling parse(String name, String where) {
    for (Sampling s : values()) {
      if (s.kerasName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(where + ": expected one of linear, log, reverse_log, found "
        + (name == null ? "null" : "'" + name + "'"));
  }
}
