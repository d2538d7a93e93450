package io.sparkeras.ps;

import io.sparkeras.ps.codecs.Mode;
import java.util.Locale;

/**
 * How the workers of one training job are synchronised by the parameter server: the kind of a
 * {@link SyncMode} (which adds the staleness bound and the averaging interval). The wire
 * protocol's {@code Mode} enum is generated from the SBE schema; {@link #wire()} and
 * {@link #fromWire(short)} are the only places that translate between the two.
 *
 * <pre>{@code
 * TrainingMode m = TrainingMode.parse("async");   // case-insensitive
 * ctx.mode(m).staleness(2);
 * }</pre>
 */
public enum TrainingMode {
  /**
   * Bulk synchronous: step t completes when every one of the job's workers has pushed its step-t
   * gradient; the shard averages them, applies the optimizer once and publishes version t + 1.
   */
  SYNC(Mode.SYNC),
  /**
   * Asynchronous with bounded staleness (SSP): each gradient is applied on arrival; a worker that
   * is more than {@code staleness} pushes ahead of the slowest worker waits in its pull.
   */
  ASYNC(Mode.ASYNC),
  /**
   * Model averaging (local SGD): workers train locally and push their weights every k steps; the
   * shard replaces its parameters by the mean of the N pushed weight vectors.
   */
  AVERAGING(Mode.AVERAGING);

  private static final TrainingMode[] VALUES = values();
  private final Mode wire;

  TrainingMode(Mode wire) {
    this.wire = wire;
  }

  /** The mode's lower-case name, as the settings and the CLI spell it ({@code "async"}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code sync}, {@code async} or {@code averaging} (case-insensitive, trimmed).
   *
   * @throws IllegalArgumentException "expected sync, async or averaging, found '...'"
   */
  public static TrainingMode parse(String text) {
    String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (TrainingMode m : VALUES) {
      if (m.key().equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected sync, async or averaging, found '" + text + "'");
  }

  /** The wire protocol's value of this mode. */
  public Mode wire() {
    return wire;
  }

  /** The mode a wire value stands for, or null when {@code raw} is not a valid one. */
  public static TrainingMode fromWire(short raw) {
    for (TrainingMode m : VALUES) {
      if (m.wire.value() == raw) {
        return m;
      }
    }
    return null;
  }
}
