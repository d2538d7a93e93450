package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Maps strings to vocabulary indices (or encodes them), Keras's {@code StringLookup}: the same
 * config, defaults, vocabulary order, mask and OOV indices and output modes (see
 * {@link IndexLookup}). Strings are compared as UTF-8 bytes; with several OOV indices an
 * unknown string goes to bucket {@code Fingerprint64(s) mod num_oov_indices}, as in Keras.
 *
 * <pre>{@code
 * StringLookup lookup = new StringLookup().vocabulary(List.of("a", "b", "c", "d"));
 * // "a" -> 1, "d" -> 4, "z" -> 0 (OOV)
 * StringLookup learned = new StringLookup().maxTokens(1000).outputMode("one_hot");
 * learned.adapt(new String[] {"red", "green", "red"});   // or adapt over a DataFrame
 * }</pre>
 */
public final class StringLookup extends IndexLookup<StringLookup> {
  /** Keras's defaults: one OOV index "[UNK]", no mask, "int" output. */
  public StringLookup() {
    super(true, "[UNK]");
  }

  private StringLookup(Config c) {
    super(true, "[UNK]", c);
    String encoding = c.getString("encoding", "utf-8");
    if (!encoding.equalsIgnoreCase("utf-8") && !encoding.equalsIgnoreCase("utf8")) {
      throw new IllegalArgumentException("StringLookup: encoding: only \"utf-8\" is supported, "
          + "found \"" + encoding + "\"");
    }
  }

  /** Rebuilds the layer from its Keras config. */
  public static StringLookup fromConfig(Config c) {
    return new StringLookup(c);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.remove("vocabulary_dtype");
    m.put("encoding", "utf-8");
    return m;
  }
}
