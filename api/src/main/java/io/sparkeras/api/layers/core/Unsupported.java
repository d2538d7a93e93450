package io.sparkeras.api.layers.core;

import io.sparkeras.api.config.Config;

/** Rejects Keras config features Sparkeras does not implement yet, naming the key. */
public final class Unsupported {
  private Unsupported() {}

  /** Fails if any of these keys is set to something other than null. */
  public static void requireNull(Config c, String... keys) {
    for (String k : keys) {
      if (c.get(k) != null) {
        throw new IllegalArgumentException(c.getString("name", "layer") + ": config key '" + k
            + "' is not supported by Sparkeras yet (expected null), found " + c.get(k));
      }
    }
  }
}
