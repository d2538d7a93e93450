package io.sparkeras.api.models;

import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.InputLayer;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A plain stack of layers, each feeding the next, like {@code keras.Sequential}. With an
 * {@link Input} first the model is built at once; without one it is built from the data's shape
 * on first use. Once built it runs as a functional graph, like Keras's Sequential runs its
 * {@code _functional}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *     Input.of(28, 28, 1),
 *     new Conv2D(32, 3).activation("relu"),
 *     new MaxPooling2D(2),
 *     new Flatten(),
 *     new Dense(128).activation("relu"),
 *     new Dropout(0.2),
 *     new Dense(10).activation("softmax"));
 * model.add(new Dense(10));   // layers can be added later too
 * }</pre>
 */
public class Sequential extends Model {
  private final List<Layer> stack = new ArrayList<>();
  private KerasTensor input;
  private KerasTensor output;

  /** A model whose input shape is known now. */
  public Sequential(KerasTensor input, Layer... layers) {
    this.input = input;
    this.output = input;
    for (Layer l : layers) {
      add(l);
    }
    if (layers.length == 0) {
      setNetwork(new Functional(this, List.of(input), List.of(input)));
    }
  }

  /** A model built on first use from the data's shape. */
  public Sequential(Layer... layers) {
    for (Layer l : layers) {
      add(l);
    }
  }

  /** A named model. */
  @Override
  public Sequential name(String name) {
    super.name(name);
    return this;
  }

  /** Appends a layer. */
  public Sequential add(Layer layer) {
    if (layer instanceof InputLayer) {
      throw new IllegalArgumentException("Sequential: pass inputs as Input.of(...) first, not as a "
          + "layer");
    }
    stack.add(layer);
    if (input != null) {
      output = layer.apply(output);
      setNetwork(new Functional(this, List.of(input), List.of(output)));
    }
    return this;
  }

  /** The stacked layers (without the input). */
  public List<Layer> stackedLayers() {
    return Collections.unmodifiableList(stack);
  }

  @Override
  public List<Layer> layers() {
    // Keras lists a Sequential's layers without its InputLayer
    List<Layer> l = new ArrayList<>(super.layers());
    l.removeIf(x -> x instanceof InputLayer);
    return l;
  }

  @Override
  public void build(List<int[]> shapes) {
    if (input != null) {
      return;
    }
    if (shapes.size() != 1) {
      throw new IllegalArgumentException("Sequential takes one input, found " + shapes.size());
    }
    if (stack.isEmpty()) {
      throw new IllegalStateException("Sequential '" + getName() + "' has no layers");
    }
    input = Input.of(shapes.get(0));
    output = input;
    for (Layer l : stack) {
      output = l.apply(output);
    }
    setNetwork(new Functional(this, List.of(input), List.of(output)));
  }
}
