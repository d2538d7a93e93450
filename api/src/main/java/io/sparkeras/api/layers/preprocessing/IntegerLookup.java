package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;

/**
 * Maps integers to vocabulary indices (or encodes them), Keras's {@code IntegerLookup}: the same
 * config, defaults, vocabulary order, mask and OOV indices and output modes (see
 * {@link IndexLookup}); with several OOV indices an unknown value goes to bucket
 * {@code value mod num_oov_indices} (floor modulo), as in Keras.
 *
 * <pre>{@code
 * IntegerLookup codes = new IntegerLookup().vocabulary(List.of(12L, 36L, 1138L, 42L));
 * // 12 -> 1, 42 -> 4, 1000 -> 0 (OOV)
 * }</pre>
 */
public final class IntegerLookup extends IndexLookup<IntegerLookup> {
  /** Keras's defaults: one OOV index (token -1), no mask, "int" output. */
  public IntegerLookup() {
    super(false, -1L);
  }

  private IntegerLookup(Config c) {
    super(false, -1L, c);
    String dtype = c.getString("vocabulary_dtype", "int64");
    if (!dtype.equals("int64")) {
      throw new IllegalArgumentException("IntegerLookup: vocabulary_dtype: only \"int64\" is "
          + "supported, found \"" + dtype + "\"");
    }
  }

  /** Rebuilds the layer from its Keras config. */
  public static IntegerLookup fromConfig(Config c) {
    return new IntegerLookup(c);
  }
}
