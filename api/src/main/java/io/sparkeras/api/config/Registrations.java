package io.sparkeras.api.config;

/**
 * A set of names to register, found through {@link java.util.ServiceLoader} and run once before
 * any {@link Registry} is first read: how the built-in layers, initializers, losses, metrics and
 * optimizers (registered in {@code io.sparkeras.api.saving.BuiltIns}, above this package) reach
 * the registries without this package knowing them. A library of custom layers can ship one too.
 *
 * <pre>{@code
 * public final class MyLayers implements Registrations {
 *   public void register() {
 *     Layer.REGISTRY.register("Scale", "MyProject", Scale.class, Scale::fromConfig);
 *   }
 * }
 * // and a line "com.example.MyLayers" in
 * // META-INF/services/io.sparkeras.api.config.Registrations
 * }</pre>
 */
public interface Registrations {
  /** Registers names; called once per JVM, before the first lookup in any registry. */
  void register();
}
