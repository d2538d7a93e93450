package io.sparkeras.api.models;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A model's weights packed into one flat vector ({@link ParameterBlock}, order =
 * {@code model.weights()}): packed on first use, re-checked after a build or a compile, and
 * repacked (telling the trainer, whose optimizer state follows the layout) when the weight list
 * changed.
 */
final class PackedWeights {
  private final Model model;
  private final Consumer<ParameterBlock> repacked;
  private ParameterBlock block;
  private List<Variable> packed;
  private boolean stale = true;

  PackedWeights(Model model, Consumer<ParameterBlock> repacked) {
    this.model = model;
    this.repacked = repacked;
  }

  /** The next {@link #block()} re-checks the weight list. */
  void invalidate() {
    stale = true;
  }

  ParameterBlock block() {
    if (block != null && !stale) {
      return block;
    }
    stale = false;
    List<Variable> ws = model.weights();
    if (block == null || !ws.equals(packed)) {
      List<Tensor> ts = new ArrayList<>();
      for (Variable v : ws) {
        ts.add(v.value());
      }
      block = Backends.current().pack(ts);
      packed = ws;
      repacked.accept(block);
    }
    return block;
  }

  /** {@code [from, to)} ranges of the trainable variables, one per variable. */
  List<int[]> trainableRanges() {
    Set<Variable> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
    trainable.addAll(model.trainableWeights());
    List<int[]> ranges = new ArrayList<>();
    int off = 0;
    for (Variable v : model.weights()) {
      int n = v.size();
      if (trainable.contains(v)) {
        ranges.add(new int[] {off, off + n});
      }
      off += n;
    }
    return ranges;
  }

  float[] get() {
    ParameterBlock pb = block();
    pb.parametersToHost();
    float[] out = new float[pb.size()];
    pb.parameters().get(0, out);
    return out;
  }

  void set(float[] values) {
    ParameterBlock pb = block();
    if (values.length != pb.size()) {
      throw new IllegalArgumentException("model '" + model.getName() + "': expected " + pb.size()
          + " weight values, found " + values.length);
    }
    pb.parameters().put(0, values);
    pb.parametersToDevice();
  }
}
