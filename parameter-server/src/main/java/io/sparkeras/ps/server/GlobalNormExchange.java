package io.sparkeras.ps.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The cross-shard step of Keras's {@code global_clipnorm} in sync mode, for shards in one process:
 * when a shard has the averaged gradient of step t it publishes the sum of squares of each of its
 * variables for t and goes on with its duty cycle; it applies step t (and publishes version t + 1)
 * once every shard's sums for t are present, polling {@link #ready(long)} from its duty cycle.
 * Nobody blocks.
 *
 * <p>The total is added up variable by variable in variable order, exactly as core's
 * {@code GradientClipping.sumOfSquares(g, ranges)} does over the whole vector, so the clipping
 * factor is bit-identical to local training's.
 *
 * <p>Two slots (step parity) suffice: a shard can only publish step t + 2 after every worker
 * pushed t + 2 to it, which needs its version t + 2, which needs every shard's sums for t + 1,
 * which a shard publishes only after it consumed step t.
 */
public final class GlobalNormExchange {
  private final int shards;
  private final int[] firstVariable;
  private final double[][] sums;
  /** Per slot and shard: the step whose sums are in the slot (release/acquire), -1 none. */
  private final AtomicLongArray stamps;

  /** @param variablesPerShard how many variables each shard holds, in shard order */
  public GlobalNormExchange(int[] variablesPerShard) {
    shards = variablesPerShard.length;
    firstVariable = new int[shards + 1];
    for (int s = 0; s < shards; s++) {
      firstVariable[s + 1] = firstVariable[s] + variablesPerShard[s];
    }
    sums = new double[2][firstVariable[shards]];
    stamps = new AtomicLongArray(2 * shards);
    for (int i = 0; i < 2 * shards; i++) {
      stamps.set(i, -1);
    }
  }

  /** Publishes shard {@code shard}'s per-variable sums of squares for {@code step} (its own thread). */
  public void publish(int shard, long step, double[] variableSums) {
    int slot = (int) (step & 1);
    System.arraycopy(variableSums, 0, sums[slot], firstVariable[shard],
        firstVariable[shard + 1] - firstVariable[shard]);
    stamps.setRelease(slot * shards + shard, step);
  }

  /** True once every shard has published its sums for {@code step}. */
  public boolean ready(long step) {
    int slot = (int) (step & 1);
    for (int s = 0; s < shards; s++) {
      if (stamps.getAcquire(slot * shards + s) != step) {
        return false;
      }
    }
    return true;
  }

  /** Sum of squares over all variables for {@code step}; only after {@link #ready(long)}. */
  public double sumOfSquares(long step) {
    double[] v = sums[(int) (step & 1)];
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}
