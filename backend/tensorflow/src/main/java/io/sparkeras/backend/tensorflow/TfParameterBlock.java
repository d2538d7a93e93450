package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Tensor;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * A model's variables moved into one {@link Slab}: {@link #parameters()} is a view of the
 * TensorFlow tensor the graph is fed (no copy), {@link #gradients()} the host vector each
 * backward pass adds its flat gradient into (one copy per step).
 */
final class TfParameterBlock implements ParameterBlock {
  private final Slab slab;

  TfParameterBlock(List<Tensor> variables) {
    int[][] shapes = new int[variables.size()][];
    boolean[] trainable = new boolean[variables.size()];
    TfVariable[] vs = new TfVariable[variables.size()];
    for (int i = 0; i < vs.length; i++) {
      vs[i] = TfRecorder.variableOf(variables.get(i), "pack");
      shapes[i] = vs[i].shape();
      trainable[i] = vs[i].trainable;
    }
    slab = new Slab(shapes, trainable);
    for (int i = 0; i < vs.length; i++) {
      int off = slab.offset(i);
      slab.values.put(off, vs[i].slab.values, vs[i].offset, vs[i].size());
    }
    for (int i = 0; i < vs.length; i++) {
      vs[i].moveTo(slab, i);
    }
  }

  @Override
  public int size() {
    return slab.size;
  }

  @Override
  public FloatBuffer parameters() {
    return slab.values;
  }

  @Override
  public FloatBuffer gradients() {
    return slab.gradients;
  }

  @Override
  public void zeroGradients() {
    FloatBuffer g = slab.gradients;
    for (int i = 0; i < slab.size; i++) {
      g.put(i, 0f);
    }
  }

  @Override
  public void gradientsToHost() {
    // CPU: the gradient vector is host memory
  }

  @Override
  public void parametersToDevice() {
    // CPU: the graph is fed the slab itself
  }

  @Override
  public void parametersToHost() {
    // moving statistics are written into the slab when fetched
  }
}
