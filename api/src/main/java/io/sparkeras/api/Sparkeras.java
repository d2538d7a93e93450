package io.sparkeras.api;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import java.util.SplittableRandom;

/**
 * Process-wide switches, like {@code keras.utils.set_random_seed} and {@code keras.backend}.
 *
 * <pre>{@code
 * Sparkeras.setRandomSeed(42);       // initializers, shuffling and dropout become reproducible
 * Sparkeras.backend().device();      // "cpu (2 threads)"
 * }</pre>
 */
public final class Sparkeras {
  private static SplittableRandom seeds = new SplittableRandom();

  private Sparkeras() {}

  /** Seeds every source of randomness: unseeded initializers, shuffling, the backend (dropout). */
  public static synchronized void setRandomSeed(long seed) {
    seeds = new SplittableRandom(seed);
    Backends.current().setSeed(seed);
  }

  /** A new seed drawn from the global generator (for objects created without one). */
  public static synchronized long nextSeed() {
    return seeds.nextLong();
  }

  /** The JVM's backend. */
  public static Backend backend() {
    return Backends.current();
  }
}
