package io.sparkeras.ps;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the workers of a distributed fit are synchronised through the parameter server: the
 * {@link TrainingMode} with its one number, the staleness bound of async mode or the averaging
 * interval of averaging mode. The one mode type of Sparkeras: the driver's settings (Spark conf,
 * job flags, Spark ML params, {@code SparkTrainer.mode}), the worker's task spec and the server
 * all take it, and {@link #parse(String, int, int)} is the one parser of its text form.
 *
 * <pre>{@code
 * trainer.mode(SyncMode.SYNC);             // bulk synchronous: same weights as one process
 * trainer.mode(SyncMode.async(2));         // apply on arrival, at most 2 pushes of staleness
 * trainer.mode(SyncMode.averaging(8));     // local SGD, weights averaged every 8 steps
 * SyncMode m = SyncMode.parse("async:3");  // the text form of the spark.sparkeras.mode key
 * }</pre>
 */
public record SyncMode(TrainingMode kind, int staleness, int averageEvery)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Default staleness bound of async mode: 2, a worker may be two pushes ahead of the slowest
   * (bounded-staleness SGD's usual setting; 0 would make async wait like sync).
   */
  public static final int STALENESS_DEFAULT = 2;
  /** Default averaging interval: the weights are averaged every 8 steps. */
  public static final int AVERAGE_EVERY_DEFAULT = 8;

  /** Bulk synchronous: every step averages the N workers' gradients, then one optimizer step. */
  public static final SyncMode SYNC = new SyncMode(TrainingMode.SYNC, 0, 1);

  /**
   * A mode and its numbers: {@code staleness} (async mode's bound, 0 in the others) and
   * {@code averageEvery} (averaging mode's interval in steps, 1 in the others). Prefer
   * {@link #SYNC}, {@link #async(int)} and {@link #averaging(int)}.
   */
  public SyncMode {
    Objects.requireNonNull(kind, "kind");
    if (staleness < 0 || kind != TrainingMode.ASYNC && staleness != 0) {
      throw new IllegalArgumentException("staleness: expected an integer >= 0 (0 unless async), "
          + "found " + staleness + " for " + kind);
    }
    if (averageEvery < 1 || kind != TrainingMode.AVERAGING && averageEvery != 1) {
      throw new IllegalArgumentException("averageEvery: expected an integer >= 1 (1 unless "
          + "averaging), found " + averageEvery + " for " + kind);
    }
  }

  /** Asynchronous, bounded staleness (SSP): a worker waits when {@code staleness} pushes ahead. */
  public static SyncMode async(int staleness) {
    return new SyncMode(TrainingMode.ASYNC, staleness, 1);
  }

  /** Model averaging (local SGD): workers step their own optimizers, weights averaged every k steps. */
  public static SyncMode averaging(int k) {
    return new SyncMode(TrainingMode.AVERAGING, 0, k);
  }

  /** {@link #parse(String, int, int)} with the default staleness and averaging interval. */
  public static SyncMode parse(String text) {
    return parse(text, STALENESS_DEFAULT, AVERAGE_EVERY_DEFAULT);
  }

  /**
   * Parses {@code sync}, {@code async} or {@code averaging} (case-insensitive); async takes
   * {@code staleness}, averaging {@code averageEvery}, unless the text gives its own number:
   * {@code async:S} or {@code averaging:K}. The number that does not belong to the mode is
   * ignored.
   *
   * @throws IllegalArgumentException naming what was expected and found (without a key: the
   *     caller's settings put their key in front)
   */
  public static SyncMode parse(String text, int staleness, int averageEvery) {
    String v = text == null ? "" : text.trim();
    int colon = v.indexOf(':');
    String name = colon < 0 ? v : v.substring(0, colon).trim();
    TrainingMode kind;
    try {
      kind = TrainingMode.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected sync, async or averaging (async:S and "
          + "averaging:K also set the number), found '" + text + "'", e);
    }
    if (colon >= 0) {
      String n = v.substring(colon + 1).trim();
      if (kind == TrainingMode.SYNC || !n.matches("\\d{1,9}")) {
        throw new IllegalArgumentException("expected sync, async:S or averaging:K with S, K "
            + "integers, found '" + text + "'");
      }
      int number = Integer.parseInt(n);
      return kind == TrainingMode.ASYNC ? async(number) : averaging(number);
    }
    switch (kind) {
      case ASYNC: return async(staleness);
      case AVERAGING: return averaging(averageEvery);
      default: return SYNC;
    }
  }

  /** The text form {@link #parse(String)} reads back: {@code sync}, {@code async:2}, ... */
  @Override
  public String toString() {
    switch (kind) {
      case ASYNC: return "async:" + staleness;
      case AVERAGING: return "averaging:" + averageEvery;
      default: return "sync";
    }
  }
}
