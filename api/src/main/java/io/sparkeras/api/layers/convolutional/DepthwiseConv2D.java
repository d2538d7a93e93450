package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 2-D depthwise convolution over {@code [batch, height, width, channels]} inputs (or
 * channels-first), as Keras's {@code DepthwiseConv2D}; see {@link BaseDepthwiseConv}.
 *
 * <pre>{@code
 * new DepthwiseConv2D(3).padding("same");
 * }</pre>
 */
public class DepthwiseConv2D extends BaseDepthwiseConv<DepthwiseConv2D> {

  public DepthwiseConv2D(int kernelSize) {
    this(new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public DepthwiseConv2D(int[] kernelSize) {
    super(2, kernelSize);
  }

  public static DepthwiseConv2D fromConfig(Config c) {
    return new DepthwiseConv2D(c.getInts("kernel_size", 2)).readConfig(c);
  }
}
