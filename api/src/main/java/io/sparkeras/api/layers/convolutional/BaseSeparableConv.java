package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.layers.Variable;
import java.util.Map;

/**
 * The separable convolution behind {@link SeparableConv1D} and {@link SeparableConv2D}, as
 * Keras's {@code BaseSeparableConv}: a depthwise convolution ({@link BaseDepthwiseConv}) then a
 * 1x1 convolution mixing the {@code channels * depth_multiplier} results into {@code filters}.
 * Weights, in Keras's order: {@code depthwise_kernel [k..., channels, depth_multiplier]},
 * {@code pointwise_kernel [1..., channels * depth_multiplier, filters]}, {@code bias [filters]}.
 *
 * <pre>{@code
 * new SeparableConv2D(32, 3).padding("same").activation("relu");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseSeparableConv<T extends BaseSeparableConv<T>>
    extends BaseDepthwiseConv<T> {
  private final int filters;
  private Variable pointwiseKernel;

  protected BaseSeparableConv(int rank, int filters, int[] kernelSize) {
    super(rank, kernelSize, "depthwise_kernel", "depthwise", "pointwise");
    this.filters = positive(filters, "filters");
  }

  public T pointwiseInitializer(Initializer init) {
    return setKernelInitializer("pointwise", init);
  }

  public T pointwiseInitializer(String name) {
    return pointwiseInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public int filters() {
    return filters;
  }

  public Variable pointwiseKernel() {
    return pointwiseKernel;
  }

  @Override
  protected int outputChannels(int inputChannels) {
    return filters;
  }

  @Override
  protected void buildKernels(int inputChannels) {
    super.buildKernels(inputChannels);
    int rank = rank();
    int[] pshape = new int[rank + 2];
    java.util.Arrays.fill(pshape, 1);
    pshape[rank] = inputChannels * depthMultiplier();
    pshape[rank + 1] = filters;
    pointwiseKernel = addWeight("pointwise_kernel", pshape, initializerOf("pointwise"), true);
  }

  /** Keras's {@code separable_conv}: the depthwise result through a 1x1 convolution. */
  @Override
  protected Tensor convolve(Tensor x) {
    int[] ones = new int[rank()];
    java.util.Arrays.fill(ones, 1);
    return ops().conv(super.convolve(x), pointwiseKernel.value(), ones, "valid", ones, 1);
  }

  @Override
  protected void putLeadingConfig(Map<String, Object> m) {
    super.putLeadingConfig(m);
    m.put("filters", filters);
  }
}
