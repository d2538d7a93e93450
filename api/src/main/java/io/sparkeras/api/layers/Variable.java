package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.regularizers.Regularizer;

/**
 * A layer weight: a named backend tensor with a Keras-canonical shape (Dense kernel
 * {@code [in, out]}, Conv2D kernel {@code [kh, kw, in, out]}).
 *
 * <pre>{@code
 * Variable kernel = addWeight("kernel", new int[] {in, units}, kernelInitializer, true);
 * Tensor y = ops().matmul(x, kernel.value());
 * float[] values = kernel.numpy();
 * }</pre>
 */
public final class Variable {
  private final String name;
  private final String path;
  private final int[] shape;
  private final boolean trainable;
  private final Tensor value;
  private Regularizer regularizer;
  private Constraint constraint;

  Variable(String layerName, String name, int[] shape, Initializer initializer, boolean trainable) {
    this.name = name;
    this.path = layerName + "/" + name;
    this.shape = shape.clone();
    this.trainable = trainable;
    this.value = Backends.current().variable(initializer.generate(shape), shape, trainable);
  }

  /** Sets the penalty and projection; the constraint is checked against the shape. */
  void penalties(Regularizer regularizer, Constraint constraint) {
    if (constraint != null) {
      constraint.bind(shape);
    }
    this.regularizer = regularizer;
    this.constraint = constraint;
  }

  /** The penalty added to the training loss for this weight, or null. */
  public Regularizer regularizer() {
    return regularizer;
  }

  /** The projection applied after every optimizer step, or null. */
  public Constraint constraint() {
    return constraint;
  }

  /** The weight's name within its layer ("kernel"). */
  public String name() {
    return name;
  }

  /** "layer_name/weight_name". */
  public String path() {
    return path;
  }

  public int[] shape() {
    return shape.clone();
  }

  public boolean trainable() {
    return trainable;
  }

  /** Number of values. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The backend tensor, to use inside {@code call}. */
  public Tensor value() {
    return value;
  }

  /** A copy of the values, row-major. */
  public float[] numpy() {
    return value.toFloatArray();
  }

  /** Overwrites the values (row-major, {@link #size()} of them). */
  public void assign(float[] values) {
    if (values.length != size()) {
      throw new IllegalArgumentException("weight '" + path + "': expected " + size()
          + " values for shape " + java.util.Arrays.toString(shape) + ", found " + values.length);
    }
    Backends.current().assign(value, values, 0);
  }

  @Override
  public String toString() {
    return "Variable(" + path + ", shape=" + java.util.Arrays.toString(shape)
        + (trainable ? "" : ", non-trainable") + ")";
  }
}
