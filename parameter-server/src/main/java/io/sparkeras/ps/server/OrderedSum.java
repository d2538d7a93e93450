package io.sparkeras.ps.server;

import io.sparkeras.core.optim.FlatMath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Adds the N partitions' pushes of one sync step (or averaging round) into a shard's sum in
 * partition order, 0, 1, ..., N-1, chunk by chunk, whatever order they arrive in. Float addition
 * is commutative but not associative: with three or more workers {@code (a + b) + c} and
 * {@code (a + c) + b} differ in the last bits, so summing in arrival order made the weights of
 * two runs of the same fit differ. A chunk that arrives before its turn waits, decoded, in its
 * partition's staging buffer (allocated on first use, one shard range per partition) and is
 * added when its predecessor is in. With one or two workers the arrival order changes nothing
 * ({@code 0 + a + b == 0 + b + a}) and nothing is staged: {@link #of} returns null.
 *
 * <pre>{@code
 * OrderedSum order = OrderedSum.of(workers, length, chunkCount);
 * if (order.isTurn(partition, chunk)) {
 *   decode into sum (write when partition == 0, else add); order.added(chunk, sum, base, floats);
 * } else {
 *   decode into order.stagingView(partition); order.staged(partition, chunk);
 * }
 * }</pre>
 */
final class OrderedSum {
  private final int workers;
  private final int length;
  /** Per chunk: the partition whose turn it is to be added. */
  private final int[] next;
  /** Per partition and chunk: decoded into staging, waiting for its turn. */
  private final boolean[][] waiting;
  private final FloatBuffer[] staging;
  private final UnsafeBuffer[] stagingViews;

  private OrderedSum(int workers, int length, int chunkCount) {
    this.workers = workers;
    this.length = length;
    this.next = new int[chunkCount];
    this.waiting = new boolean[workers][chunkCount];
    this.staging = new FloatBuffer[workers];
    this.stagingViews = new UnsafeBuffer[workers];
  }

  /** The ordering for {@code workers} workers, or null when the arrival order cannot matter. */
  static OrderedSum of(int workers, int length, int chunkCount) {
    return workers < 3 ? null : new OrderedSum(workers, length, chunkCount);
  }

  /** Whether partition {@code p}'s chunk {@code c} goes straight into the sum. */
  boolean isTurn(int p, int c) {
    return next[c] == p;
  }

  /**
   * Partition {@code next[c]}'s chunk {@code c} was just added to {@code sum} (whose chunk
   * starts at shard-local float {@code base}): adds the staged chunks whose turn follows.
   */
  void added(int c, FloatBuffer sum, int base, int floats) {
    int p = ++next[c];
    while (p < workers && waiting[p][c]) {
      FlatMath.add(sum, base, staging[p], base, floats);
      waiting[p][c] = false;
      p = ++next[c];
    }
  }

  /** Partition {@code p}'s staging buffer (a float view), allocated on first use. */
  FloatBuffer staging(int p) {
    view(p);
    return staging[p];
  }

  /** Partition {@code p}'s staging buffer (a byte view of the same memory). */
  UnsafeBuffer stagingView(int p) {
    return view(p);
  }

  private UnsafeBuffer view(int p) {
    if (stagingViews[p] == null) {
      ByteBuffer b = ByteBuffer.allocateDirect(length * Float.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN);
      staging[p] = b.asFloatBuffer();
      stagingViews[p] = new UnsafeBuffer(b);
    }
    return stagingViews[p];
  }

  /** Partition {@code p}'s chunk {@code c} was decoded into its staging buffer. */
  void staged(int p, int c) {
    waiting[p][c] = true;
  }

  /** A new step: partition 0's chunks come first again. */
  void reset() {
    Arrays.fill(next, 0);
    for (boolean[] w : waiting) {
      Arrays.fill(w, false);
    }
  }
}
