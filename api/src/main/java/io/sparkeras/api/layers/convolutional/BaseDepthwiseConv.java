package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.layers.Variable;
import java.util.Map;

/**
 * The depthwise convolution behind {@link DepthwiseConv1D} and {@link DepthwiseConv2D}, as
 * Keras's {@code BaseDepthwiseConv}: every input channel is convolved on its own with
 * {@code depth_multiplier} filters, giving {@code channels * depth_multiplier} outputs (output
 * channel {@code c * depth_multiplier + m}). Kernel {@code [k..., channels, depth_multiplier]}
 * (named {@code kernel}, configured by {@code depthwise_initializer}), bias
 * {@code [channels * depth_multiplier]}.
 *
 * <pre>{@code
 * new DepthwiseConv2D(3).depthMultiplier(2).padding("same");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseDepthwiseConv<T extends BaseDepthwiseConv<T>> extends AbstractConv<T> {
  private final String kernelName;
  private int depthMultiplier = 1;
  private Variable kernel;

  protected BaseDepthwiseConv(int rank, int[] kernelSize) {
    this(rank, kernelSize, "kernel", "depthwise");
  }

  /**
   * For {@link BaseSeparableConv}: the depthwise kernel's weight name and the kernel config
   * prefixes.
   */
  BaseDepthwiseConv(int rank, int[] kernelSize, String kernelName, String... kernels) {
    super(rank, kernelSize, kernels);
    this.kernelName = kernelName;
  }

  @Override
  protected T readConfig(Config c) {
    depthMultiplier(c.getInt("depth_multiplier", 1));
    return super.readConfig(c);
  }

  /** Filters per input channel (default 1). */
  public T depthMultiplier(int depthMultiplier) {
    this.depthMultiplier = positive(depthMultiplier, "depth_multiplier");
    return self();
  }

  public T depthwiseInitializer(Initializer init) {
    return setKernelInitializer("depthwise", init);
  }

  public T depthwiseInitializer(String name) {
    return depthwiseInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** {@code [k..., channels, depth_multiplier]}. */
  public Variable depthwiseKernel() {
    return kernel;
  }

  @Override
  protected int outputChannels(int inputChannels) {
    return inputChannels * depthMultiplier;
  }

  @Override
  protected void buildKernels(int inputChannels) {
    int rank = rank();
    int[] kshape = new int[rank + 2];
    System.arraycopy(kernelSize(), 0, kshape, 0, rank);
    kshape[rank] = inputChannels;
    kshape[rank + 1] = depthMultiplier;
    kernel = addWeight(kernelName, kshape, initializerOf("depthwise"), true);
  }

  /**
   * Keras's {@code depthwise_conv}: the kernel {@code [k..., in, m]} read as a grouped kernel
   * {@code [k..., 1, in * m]} with one group per input channel.
   */
  @Override
  protected Tensor convolve(Tensor x) {
    int[] ks = kernel.shape();
    int rank = ks.length - 2;
    int[] grouped = ks.clone();
    grouped[rank] = 1;
    grouped[rank + 1] = ks[rank] * ks[rank + 1];
    return ops().conv(x, ops().reshape(kernel.value(), grouped), strides(), padding(),
        dilationRate(), ks[rank]);
  }

  @Override
  protected void putLeadingConfig(Map<String, Object> m) {
    m.put("depth_multiplier", depthMultiplier);
  }
}
