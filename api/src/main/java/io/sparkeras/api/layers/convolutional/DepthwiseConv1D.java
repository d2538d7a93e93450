package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 1-D depthwise convolution over {@code [batch, steps, channels]} inputs (or
 * channels-first), as Keras's {@code DepthwiseConv1D}; see {@link BaseDepthwiseConv}.
 *
 * <pre>{@code
 * new DepthwiseConv1D(3).depthMultiplier(2);
 * }</pre>
 */
public class DepthwiseConv1D extends BaseDepthwiseConv<DepthwiseConv1D> {

  public DepthwiseConv1D(int kernelSize) {
    this(new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public DepthwiseConv1D(int[] kernelSize) {
    super(1, kernelSize);
  }

  public static DepthwiseConv1D fromConfig(Config c) {
    return new DepthwiseConv1D(c.getInts("kernel_size", 1)).readConfig(c);
  }
}
