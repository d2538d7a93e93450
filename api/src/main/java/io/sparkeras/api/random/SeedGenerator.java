package io.sparkeras.api.random;

import io.sparkeras.api.Sparkeras;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream of seeds for a layer's random numbers, like {@code keras.random.SeedGenerator}: a seed
 * and a counter, each call returning a new seed derived from both, so a seeded layer repeats its
 * noise exactly from one run to the next while every call differs. Without a seed, one is drawn
 * from {@link Sparkeras#nextSeed()} at first use (reproducible after
 * {@code Sparkeras.setRandomSeed}).
 *
 * <pre>{@code
 * SeedGenerator seeds = new SeedGenerator(42L);
 * Tensor u = ops().randomUniform(shape, seeds.next());
 * }</pre>
 */
public final class SeedGenerator {
  private final Long initialSeed;
  private volatile long seed;
  private volatile boolean seeded;
  private final AtomicLong counter = new AtomicLong();

  /** @param seed the seed, or null to draw one from {@link Sparkeras#nextSeed()} */
  public SeedGenerator(Long seed) {
    this.initialSeed = seed;
    if (seed != null) {
      this.seed = seed;
      this.seeded = true;
    }
  }

  /** The seed given at construction (null when none was). */
  public Long initialSeed() {
    return initialSeed;
  }

  /** The next seed of the stream. */
  public long next() {
    if (!seeded) {
      synchronized (this) {
        if (!seeded) {
          seed = Sparkeras.nextSeed();
          seeded = true;
        }
      }
    }
    return mix(seed * 0x9E3779B97F4A7C15L + counter.getAndIncrement());
  }

  /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
