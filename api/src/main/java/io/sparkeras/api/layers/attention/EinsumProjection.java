package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import java.util.Arrays;

/**
 * The projections inside {@link MultiHeadAttention}, with the weights of Keras's
 * {@code EinsumDense} there: the last {@code contracted} input axes are multiplied with a kernel
 * {@code [those axes..., outDims...]} and replaced by {@code outDims}; the bias is
 * {@code [outDims...]}. Query/key/value: {@code "abc,cde->abde"} (kernel {@code [dim, heads,
 * head_dim]}); output: {@code "abcd,cde->abe"} (kernel {@code [heads, value_dim, out]}). Not
 * registered: it only exists inside its parent and has no config of its own.
 *
 * <pre>{@code track(new EinsumProjection("query", new int[] {heads, dim}, 1, true, k, b)); }</pre>
 */
final class EinsumProjection extends Layer {
  private final int[] outDims;
  private final int contracted;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private Variable kernel;
  private Variable bias;
  private int inSize;
  private int outSize;

  EinsumProjection(String name, int[] outDims, int contracted, boolean useBias,
      Initializer kernelInitializer, Initializer biasInitializer) {
    name(name);
    this.outDims = outDims.clone();
    this.contracted = contracted;
    this.useBias = useBias;
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
  }

  @Override
  public void build(int[] inputShape) {
    int[] in = Arrays.copyOfRange(inputShape, inputShape.length - contracted, inputShape.length);
    int[] shape = new int[contracted + outDims.length];
    System.arraycopy(in, 0, shape, 0, contracted);
    System.arraycopy(outDims, 0, shape, contracted, outDims.length);
    inSize = Arrays.stream(in).reduce(1, (a, b) -> a * b);
    outSize = Arrays.stream(outDims).reduce(1, (a, b) -> a * b);
    kernel = addWeight("kernel", shape, kernelInitializer, true);
    if (useBias) {
      bias = addWeight("bias", outDims, biasInitializer, true);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int[] s = x.shape();
    int lead = s.length - contracted;
    int[] flat = Arrays.copyOf(s, lead + 1);
    flat[lead] = inSize;
    Tensor y = ops().matmul(ops().reshape(x, flat), ops().reshape(kernel.value(), inSize, outSize));
    int[] out = Arrays.copyOf(s, lead + outDims.length);
    System.arraycopy(outDims, 0, out, lead, outDims.length);
    y = ops().reshape(y, out);
    return useBias ? ops().add(y, bias.value()) : y;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int lead = inputShape.length - contracted;
    int[] out = Arrays.copyOf(inputShape, lead + outDims.length);
    System.arraycopy(outDims, 0, out, lead, outDims.length);
    return out;
  }
}
