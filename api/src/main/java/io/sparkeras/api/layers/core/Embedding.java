package io.sparkeras.api.layers.core;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.RandomUniform;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.regularizers.Regularizer;
import java.util.Collections;
import java.util.List;
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
 * before training. With {@code mask_zero} index 0 is padding: the output carries a mask (1
 * where the index is not 0) that a functional model passes on to the layers that read it
 * (RNNs, pooling, attention, ...), as in Keras.
 *
 * <pre>{@code
 * new Embedding(10_000, 64);
 * new Embedding(10_000, 64).maskZero(true).embeddingsRegularizer(new L2(1e-5));
 * }</pre>
 */
public class Embedding extends Layer {
  private final int inputDim;
  private final int outputDim;
  private Initializer embeddingsInitializer = new RandomUniform(-0.05, 0.05, null);
  private Regularizer embeddingsRegularizer;
  private Constraint embeddingsConstraint;
  private boolean maskZero;
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
    Embedding e = LayerConfigs.base(new Embedding(c.getInt("input_dim"), c.getInt("output_dim")),
        c);
    e.embeddingsInitializer(LayerConfigs.initializer(c, "embeddings_initializer",
        e.embeddingsInitializer));
    e.embeddingsRegularizer(LayerConfigs.regularizer(c, "embeddings_regularizer"));
    e.embeddingsConstraint(LayerConfigs.constraint(c, "embeddings_constraint"));
    e.maskZero(c.getBoolean("mask_zero", false));
    Unsupported.requireNull(c, "lora_rank", "weights");
    return e;
  }

  public Embedding embeddingsInitializer(Initializer init) {
    this.embeddingsInitializer = init;
    return this;
  }

  public Embedding embeddingsInitializer(String name) {
    return embeddingsInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Index 0 is padding: the output is masked where the input is 0 (default false). */
  public Embedding maskZero(boolean maskZero) {
    this.maskZero = maskZero;
    setSupportsMasking(maskZero);
    return this;
  }

  /** Penalty on the table, added to the training loss (null: none). */
  public Embedding embeddingsRegularizer(Regularizer r) {
    this.embeddingsRegularizer = r;
    return this;
  }

  /** Projection of the table after every optimizer step (null: none). */
  public Embedding embeddingsConstraint(Constraint c) {
    this.embeddingsConstraint = c;
    return this;
  }

  /** Keras's {@code compute_mask}: {@code input != 0} with mask_zero, else none. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    if (!maskZero) {
      return Collections.singletonList(null);
    }
    Tensor x = args.input(0);
    return List.of(ops().add(ops().negative(ops().equal(x, ops().scalar(0))), 1));
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
        true, embeddingsRegularizer, embeddingsConstraint);
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
    m.put("embeddings_regularizer", Regularizer.serialize(embeddingsRegularizer));
    m.put("activity_regularizer", Regularizer.serialize(activityRegularizer()));
    m.put("embeddings_constraint", Constraint.serialize(embeddingsConstraint));
    m.put("mask_zero", maskZero);
    return m;
  }
}
