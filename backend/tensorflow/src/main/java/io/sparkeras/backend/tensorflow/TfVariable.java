package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import java.util.concurrent.atomic.AtomicInteger;

/** A variable: a range of a {@link Slab}, moved into a model's slab by {@code pack}. */
final class TfVariable implements Tensor {
  private static final AtomicInteger IDS = new AtomicInteger();

  final int id = IDS.incrementAndGet();
  private final int[] shape;
  final boolean trainable;
  Slab slab;
  int index;
  int offset;

  TfVariable(Slab slab, int index, int[] shape, boolean trainable) {
    this.shape = shape.clone();
    this.trainable = trainable;
    moveTo(slab, index);
  }

  void moveTo(Slab s, int i) {
    slab = s;
    index = i;
    offset = s.offset(i);
  }

  int size() {
    return slab.sizes[index];
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public DType dtype() {
    return DType.FLOAT32;
  }

  @Override
  public float[] toFloatArray() {
    float[] out = new float[size()];
    slab.values.get(offset, out);
    return out;
  }

  @Override
  public float item() {
    if (size() != 1) {
      throw new IllegalStateException("item() needs a tensor of one element, found shape "
          + java.util.Arrays.toString(shape));
    }
    return slab.values.get(offset);
  }

  @Override
  public String toString() {
    return "TfVariable" + java.util.Arrays.toString(shape);
  }
}
