package io.sparkeras.api.models;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.trainers.Trainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A model's weights packed into one flat vector ({@link ParameterBlock}, order =
 * {@code model.weights()}): packed on first use, re-checked after a build or a compile (telling
 * the trainer, whose regularizers and constraints follow the layout), and repacked (the
 * optimizer's state follows too) when the weight list changed.
 */
final class PackedWeights {
  private final Model model;
  private final Trainer trainer;
  private ParameterBlock block;
  private List<Variable> packed;
  private boolean stale = true;

  PackedWeights(Model model, Trainer trainer) {
    this.model = model;
    this.trainer = trainer;
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
    boolean repack = block == null || !ws.equals(packed);
    if (repack) {
      List<Tensor> ts = new ArrayList<>();
      for (Variable v : ws) {
        ts.add(v.value());
      }
      block = Backends.current().pack(ts);
      packed = ws;
    }
    trainer.weightsLaidOut(ws, trainableSet(), block, repack);
    return block;
  }

  /** {@code [from, to)} ranges of the trainable variables, one per variable. */
  List<int[]> trainableRanges() {
    Set<Variable> trainable = trainableSet();
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

  private Set<Variable> trainableSet() {
    Set<Variable> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
    trainable.addAll(model.trainableWeights());
    return trainable;
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
