package io.sparkeras.core.constraints;

import java.nio.FloatBuffer;

/** Keras's {@code NonNeg}: {@code w * (w >= 0)}, negative values become 0. */
final class NonNeg implements FlatConstraint {
  private final int size;

  NonNeg(int size) {
    this.size = size;
  }

  @Override
  public void apply(FloatBuffer values, int from) {
    for (int i = from, end = from + size; i < end; i++) {
      if (!(values.get(i) >= 0f)) {
        values.put(i, 0f);
      }
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String className() {
    return "NonNeg";
  }
}
