package io.sparkeras.api.layers;

/**
 * A layer whose output has its input's shape (activations, noise, masking, some
 * normalizations): {@link #computeOutputShape(int[])} is the identity, and masks pass through
 * unchanged ({@code supports_masking}, as in each of Keras's such layers).
 *
 * <pre>{@code
 * public class Scale extends SameShapeLayer {
 *   public Tensor call(Tensor x, boolean training) { return ops().multiply(x, 2.0); }
 * }
 * }</pre>
 */
public abstract class SameShapeLayer extends Layer {

  protected SameShapeLayer() {
    setSupportsMasking(true);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }
}
