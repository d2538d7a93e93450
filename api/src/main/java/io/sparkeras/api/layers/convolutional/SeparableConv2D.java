package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 2-D separable convolution over {@code [batch, height, width, channels]} inputs (or
 * channels-first), as Keras's {@code SeparableConv2D}; see {@link BaseSeparableConv}.
 *
 * <pre>{@code
 * new SeparableConv2D(32, 3).activation("relu");
 * }</pre>
 */
public class SeparableConv2D extends BaseSeparableConv<SeparableConv2D> {

  public SeparableConv2D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public SeparableConv2D(int filters, int[] kernelSize) {
    super(2, filters, kernelSize);
  }

  public static SeparableConv2D fromConfig(Config c) {
    return new SeparableConv2D(c.getInt("filters"), c.getInts("kernel_size", 2))
        .readConfig(c);
  }
}
