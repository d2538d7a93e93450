package io.sparkeras.api.config;

import java.util.Map;

/**
 * An object that describes itself as a Keras-style config: the {@code config} part of
 * {@code {"class_name": ..., "config": {...}}}. A registered factory rebuilds it from that map
 * ({@link Registry}), so {@code config -> object -> config} is the identity.
 */
public interface Configurable {
  /** The config map, with Keras's key names. */
  Map<String, Object> getConfig();
}
