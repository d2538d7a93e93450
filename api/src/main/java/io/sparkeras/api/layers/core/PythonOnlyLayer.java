package io.sparkeras.api.layers.core;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import java.util.function.Function;

/**
 * The Keras layers that hold Python code or another framework's model ({@code Lambda},
 * {@code TFSMLayer}, {@code JaxLayer}, {@code FlaxLayer}, {@code TorchModuleWrapper}): a config
 * naming one is refused with a message that says why and what to do instead (write the
 * computation as a Java layer and register it). Never instantiated.
 *
 * <pre>{@code
 * Layer.REGISTRY.register("MyLambda", "MyProject", MyLambda.class, MyLambda::fromConfig);
 * }</pre>
 */
public abstract class PythonOnlyLayer extends Layer {
  private PythonOnlyLayer() {}

  /** The factory registered under {@code className}: it always throws. */
  public static Function<Config, Layer> refusal(String className) {
    return c -> {
      throw new IllegalArgumentException(className + " '" + c.getString("name", "?") + "': "
          + (className.equals("Lambda") ? "a Lambda layer holds Python code, which cannot run on "
          + "the JVM" : "a " + className + " wraps a model of another framework, which cannot "
          + "run here") + "; write the computation as a Java layer (extend Layer) and register it "
          + "under the same class name with Layer.REGISTRY.register(\"" + className
          + "\", package, MyLayer.class, MyLayer::fromConfig)");
    };
  }
}
