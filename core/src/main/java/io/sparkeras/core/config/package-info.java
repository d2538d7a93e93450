/**
 * Reading Keras {@code get_config()} dictionaries with validation messages that name the key,
 * the expected range and the value found.
 *
 * <pre>{@code
 * KerasConfig c = KerasConfig.of("optimizer adam", config, allowedKeys);
 * double beta1 = c.number("beta_1", 0.9, 0.0, true, 1.0, false);
 * }</pre>
 */
package io.sparkeras.core.config;
