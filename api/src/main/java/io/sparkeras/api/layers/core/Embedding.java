package io.sparkeras.api.layers.core;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.RandomUniform;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import java.util.Map;

/**
 * Turns integer indices into dense vectors: row {@code i} of an {@code [input_dim, output_dim]}
 * table for every index {@code i}; an input of shape {@code (batch, d...)} gives
 * {@code (batch, d..., output_dim)}. Inputs are float tensors holding whole numbers (truncated
 * toward zero, like Keras's cast to int).
 *
 * <p>Indices are not range-checked inside the graph (that would cost a device-to-host copy per
 * call): an index outside {@code [0, input_dim)} makes the backend fail at run time (libtorch
 * raises "index out of range" on the CPU and a device-side assertion on a GPU). Check your data
 * before training. {@code mask_zero} is not supported yet.
 *
 * <pre>{@code new Embedding(10_000, 64); }</pre>
 */
public class Embedding extends Layer {
  private final int inputDim;
  private final int outputDim;
  private Initializer embeddingsInitializer = new RandomUniform(-0.05, 0.05, null);
  private Variable embeddings;

  public Embedding(int inputDim, int outputDim) {
    if (inputDim <= 0) {
      throw new IllegalArgumentException("Embedding input_dim: expected a positive integer "
          + "(the vocabulary size), found " + inputDim);
    }
    if (outputDim <= 0) {
      throw new IllegalArgumentException("Embedding output_dim: expected a positive integer, found "
          + outputDim);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
  }

  public static Embedding fromConfig(Config c) {
    Embedding e = new Embedding(c.getInt("input_dim"), c.getInt("output_dim"));
    e.name(c.getString("name", null));
    e.trainable(c.getBoolean("trainable", true));
    if (c.has("embeddings_initializer")) {
      e.embeddingsInitializer(Initializer.REGISTRY.deserialize(c.get("embeddings_initializer")));
    }
    e.maskZero(c.getBoolean("mask_zero", false));
    Unsupported.requireNull(c, "embeddings_regularizer", "activity_regularizer",
        "embeddings_constraint", "lora_rank", "weights");
    return e;
  }

  public Embedding embeddingsInitializer(Initializer init) {
    this.embeddingsInitializer = init;
    return this;
  }

  public Embedding embeddingsInitializer(String name) {
    return embeddingsInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Only {@code false} is supported: masking is not implemented yet. */
  public Embedding maskZero(boolean maskZero) {
    if (maskZero) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Embedding): mask_zero=true is "
          + "not supported by Sparkeras yet (expected false); masks are not propagated");
    }
    return this;
  }

  public int inputDim() {
    return inputDim;
  }

  public int outputDim() {
    return outputDim;
  }

  public Variable embeddings() {
    return embeddings;
  }

  @Override
  public void build(int[] inputShape) {
    embeddings = addWeight("embeddings", new int[] {inputDim, outputDim}, embeddingsInitializer,
        true);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return ops().take(embeddings.value(), ops().cast(x, DType.INT64), 0);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int[] out = java.util.Arrays.copyOf(inputShape, inputShape.length + 1);
    out[inputShape.length] = outputDim;
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("input_dim", inputDim);
    m.put("output_dim", outputDim);
    m.put("embeddings_initializer", Initializer.REGISTRY.serialize(embeddingsInitializer));
    m.put("embeddings_regularizer", null);
    m.put("activity_regularizer", null);
    m.put("embeddings_constraint", null);
    m.put("mask_zero", false);
    return m;
  }
}
