package io.sparkeras.driver;

import io.sparkeras.worker.TrainSpec;
import java.util.Objects;

/**
 * How the workers of a distributed fit are synchronised through the parameter server.
 *
 * <pre>{@code
 * trainer.mode(SyncMode.SYNC);             // bulk synchronous: same weights as one process
 * trainer.mode(SyncMode.async(2));         // apply on arrival, at most 2 pushes of staleness
 * trainer.mode(SyncMode.averaging(8));     // local SGD, weights averaged every 8 steps
 * }</pre>
 */
public final class SyncMode {
  /** Bulk synchronous: every step averages the N workers' gradients, then one optimizer step. */
  public static final SyncMode SYNC = new SyncMode(TrainSpec.Mode.SYNC, 0, 1);

  private final TrainSpec.Mode mode;
  private final int staleness;
  private final int averagingSteps;

  private SyncMode(TrainSpec.Mode mode, int staleness, int averagingSteps) {
    this.mode = mode;
    this.staleness = staleness;
    this.averagingSteps = averagingSteps;
  }

  /** Asynchronous, bounded staleness (SSP): a worker waits when {@code staleness} pushes ahead. */
  public static SyncMode async(int staleness) {
    if (staleness < 0) {
      throw new IllegalArgumentException("spark.sparkeras.staleness: expected >= 0, found " + staleness);
    }
    return new SyncMode(TrainSpec.Mode.ASYNC, staleness, 1);
  }

  /** Model averaging (local SGD): each worker steps its own optimizer, weights averaged every k steps. */
  public static SyncMode averaging(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("spark.sparkeras.averagingSteps: expected >= 1, found " + k);
    }
    return new SyncMode(TrainSpec.Mode.AVERAGING, 0, k);
  }

  /** Parses {@code sync}, {@code async:S} or {@code averaging:K} (the spark.sparkeras.mode key). */
  public static SyncMode parse(String s) {
    String v = s.trim().toLowerCase();
    if (v.equals("sync")) {
      return SYNC;
    }
    try {
      if (v.startsWith("async")) {
        return async(v.contains(":") ? Integer.parseInt(v.substring(v.indexOf(':') + 1)) : 0);
      }
      if (v.startsWith("averaging")) {
        return averaging(v.contains(":") ? Integer.parseInt(v.substring(v.indexOf(':') + 1)) : 1);
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("spark.sparkeras.mode: expected sync, async:S or "
        + "averaging:K, found '" + s + "'");
  }

  public TrainSpec.Mode kind() {
    return mode;
  }

  public int staleness() {
    return staleness;
  }

  public int averagingSteps() {
    return averagingSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncMode && ((SyncMode) o).mode == mode
        && ((SyncMode) o).staleness == staleness && ((SyncMode) o).averagingSteps == averagingSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, staleness, averagingSteps);
  }

  @Override
  public String toString() {
    switch (mode) {
      case ASYNC: return "async:" + staleness;
      case AVERAGING: return "averaging:" + averagingSteps;
      default: return "sync";
    }
  }
}
