package io.sparkeras.api.layers;

/**
 * A layer whose output has its input's shape (activations, noise, masking, some
 * normalizations): {@link #computeOutputShape(int[])} is the identity.
 *
 * <pre>{@code
 * public class Scale extends SameShapeLayer {
 *   public Tensor call(Tensor x, boolean training) { return ops().multiply(x, 2.0); }
 * }
 * }</pre>
 */
public abstract class SameShapeLayer extends Layer {

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }
}
