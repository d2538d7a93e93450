package io.sparkeras.api.models;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The structure of a subclassed model: its Java {@code call}. Building runs it once on zeros and
 * records the layers it calls (Keras's attribute tracking, by observation instead of reflection)
 * and the output shapes. A Sequential without an input shape is one of these until it is built.
 */
final class Subclassed extends Network {
  private final Model owner;
  private List<Layer> calledLayers = List.of();
  private List<int[]> inputShapes;
  private List<int[]> outputShapes;

  Subclassed(Model owner) {
    this.owner = owner;
  }

  @Override
  boolean isGraph() {
    return false;
  }

  @Override
  List<Layer> layers() {
    return calledLayers;
  }

  @Override
  List<int[]> inputShapes() {
    return inputShapes;
  }

  @Override
  List<int[]> outputShapes() {
    return outputShapes;
  }

  @Override
  void build(List<int[]> shapes) {
    if (inputShapes != null) {
      return;
    }
    Backend b = Backends.current();
    List<int[]> outShapes = new ArrayList<>();
    List<Layer> called = Layer.recordCalls(() -> {
      try (Scope s = b.scope(false)) {
        for (Tensor t : callAll(Layer.zerosLike(shapes), false)) {
          int[] o = t.shape();
          outShapes.add(Arrays.copyOfRange(o, 1, o.length));
        }
      }
    });
    LinkedHashSet<Layer> unique = new LinkedHashSet<>(called);
    unique.remove(owner);
    calledLayers = List.copyOf(unique);
    inputShapes = new ArrayList<>();
    for (int[] s : shapes) {
      inputShapes.add(s.clone());
    }
    outputShapes = outShapes;
  }

  @Override
  Tensor call(List<Tensor> inputs, boolean training) {
    return owner.layerCall(inputs, training);
  }

  @Override
  List<Tensor> callAll(List<Tensor> inputs, boolean training) {
    return Layer.withTraining(training, () -> List.of(
        inputs.size() == 1 ? owner.call(inputs.get(0), training) : owner.call(inputs, training)));
  }

  @Override
  List<Tensor> call(CallArgs args) {
    return owner.layerCall(args);
  }

  @Override
  String inputName(int i) {
    return "input_" + i;
  }

  @Override
  String outputName(int i) {
    return "output_" + i;
  }
}
