package io.sparkeras.api.layers.preprocessing;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What a preprocessing layer may need besides its inputs while it encodes one sample: whether
 * the model is training (the random augmentation layers act only then) and the random stream of
 * the layer being run. One context belongs to one thread's runner. Each layer of the runner has
 * its own stream, seeded from the layer's seed and the runner's stream number (a Spark task's
 * partition and epoch), so a rerun task draws the same transformations and two workers draw
 * different ones.
 *
 * <pre>{@code
 * HostContext ctx = new HostContext(true, 7L);
 * layer.encode(inputs, out, ctx.select(0, 1234L));    // slot 0, the layer's seed 1234
 * }</pre>
 */
public final class HostContext {
  private final boolean training;
  private final long stream;
  private SplittableRandom[] randoms = new SplittableRandom[1];
  private int current;
  private long currentSeed;
  private byte[] scratch = new byte[32];
  private HostValue[] values = new HostValue[0];

  /**
   * @param training whether the model runs in training mode
   * @param stream a number distinguishing this runner's random draws (0 for local use)
   */
  public HostContext(boolean training, long stream) {
    this.training = training;
    this.stream = stream;
  }

  public boolean training() {
    return training;
  }

  /** The stream number given at construction. */
  public long stream() {
    return stream;
  }

  /**
   * Points the context at the layer about to run: {@code slot} numbers the layer within the
   * runner, {@code seed} is its seed. The slot's random stream is made on first use and then
   * continues from sample to sample.
   */
  public HostContext select(int slot, long seed) {
    if (slot >= randoms.length) {
      randoms = Arrays.copyOf(randoms, Math.max(slot + 1, 2 * randoms.length));
    }
    current = slot;
    currentSeed = seed;
    return this;
  }

  /** The current layer's random stream. */
  public SplittableRandom random() {
    SplittableRandom r = randoms[current];
    if (r == null) {
      r = new SplittableRandom(mix(mix(currentSeed) + stream * 0x9E3779B97F4A7C15L + current));
      randoms[current] = r;
    }
    return r;
  }

  /** A byte buffer of at least {@code n} bytes for the current sample's temporary use. */
  public byte[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, 2 * scratch.length)];
    }
    return scratch;
  }

  /**
   * Scratch value {@code i} of this context, of kind {@code kind}, for a layer's intermediate
   * results within one sample (a tokenizer's words, say); reused from sample to sample.
   */
  public HostValue scratchValue(int i, HostValue.Kind kind) {
    if (i >= values.length) {
      values = Arrays.copyOf(values, i + 1);
    }
    HostValue v = values[i];
    if (v == null) {
      v = new HostValue(kind);
      values[i] = v;
    } else if (v.kind() != kind) {
      v.kind(kind);
    }
    return v;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
