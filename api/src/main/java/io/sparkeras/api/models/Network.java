package io.sparkeras.api.models;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import java.util.List;

/**
 * What a model's structure is: a graph of layers ({@link Functional}, for functional models and
 * built Sequentials) or Java code that calls layers ({@link Subclassed}). A {@link Model} holds
 * one, chosen at construction (Keras picks the class {@code Functional} in {@code
 * Model.__new__}), and asks it instead of asking which kind it is.
 */
abstract class Network {
  /** Whether the structure is a graph of layers (config-serialisable without a subclass). */
  abstract boolean isGraph();

  /** The layers, in graph or call order. */
  abstract List<Layer> layers();

  /** Symbolic inputs; empty for subclassed models. */
  List<KerasTensor> inputs() {
    return List.of();
  }

  /** Symbolic outputs; empty for subclassed models. */
  List<KerasTensor> outputs() {
    return List.of();
  }

  /** The host prefix of a graph with preprocessing layers ({@link Functional}), else null. */
  io.sparkeras.api.layers.preprocessing.HostPlan hostPlan() {
    return null;
  }

  /**
   * Each engine input's sample shape (batch excluded; for a graph with preprocessing layers,
   * what those layers give the network), or null before a subclassed model is built.
   */
  abstract List<int[]> inputShapes();

  /** Each output's sample shape (batch excluded), or null before a subclassed model is built. */
  abstract List<int[]> outputShapes();

  /** Learns the structure from input shapes; a graph knows it from construction. */
  abstract void build(List<int[]> shapes);

  /** Runs the network and returns its single output. */
  abstract Tensor call(List<Tensor> inputs, boolean training);

  /** Runs the network and returns every output. */
  abstract List<Tensor> callAll(List<Tensor> inputs, boolean training);

  /**
   * The model called as a layer with masks and arguments ({@link Model#call(CallArgs)}): returns
   * every output and sets their masks on {@code args} when it knows them.
   */
  abstract List<Tensor> call(CallArgs args);

  /** Name of input {@code i}, for messages. */
  abstract String inputName(int i);

  /** Name of output {@code i}, the prefix of its metrics' log keys when there are several. */
  abstract String outputName(int i);

  /** A layer's output shape inside this network, for summaries ("?" when unknown). */
  String layerOutputShape(Layer l) {
    return "?";
  }
}
