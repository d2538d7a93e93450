package io.sparkeras.api.callbacks;

import java.util.Locale;

/**
 * Whether a monitored quantity should go down ({@link #MIN}) or up ({@link #MAX}); {@link #AUTO}
 * infers it from the name like Keras: names ending in "acc", "accuracy" or "auc" (with or without
 * the "val_" prefix) are maximised, everything else ("loss", "val_loss", "mae", ...) minimised.
 *
 * <pre>{@code
 * new EarlyStopping().monitor("val_accuracy").mode(Mode.AUTO);   // resolves to MAX
 * Mode m = Mode.of("max");
 * }</pre>
 */
public enum Mode {
  AUTO,
  MIN,
  MAX;

  /** Parses Keras's {@code "auto"}, {@code "min"} or {@code "max"} (any case). */
  public static Mode of(String name) {
    if (name != null) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "auto":
          return AUTO;
        case "min":
          return MIN;
        case "max":
          return MAX;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("mode: expected \"auto\", \"min\" or \"max\", found "
        + (name == null ? "null" : "\"" + name + "\""));
  }

  /** MIN or MAX for this monitor; AUTO decided from the monitor's name. */
  public Mode resolve(String monitor) {
    if (this != AUTO) {
      return this;
    }
    String m = monitor.toLowerCase(Locale.ROOT);
    return m.endsWith("acc") || m.endsWith("accuracy") || m.endsWith("auc") ? MAX : MIN;
  }
}
