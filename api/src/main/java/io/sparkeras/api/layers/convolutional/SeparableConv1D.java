package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 1-D separable convolution over {@code [batch, steps, channels]} inputs (or
 * channels-first), as Keras's {@code SeparableConv1D}; see {@link BaseSeparableConv}.
 *
 * <pre>{@code
 * new SeparableConv1D(16, 5).padding("same");
 * }</pre>
 */
public class SeparableConv1D extends BaseSeparableConv<SeparableConv1D> {

  public SeparableConv1D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public SeparableConv1D(int filters, int[] kernelSize) {
    super(1, filters, kernelSize);
  }

  public static SeparableConv1D fromConfig(Config c) {
    return new SeparableConv1D(c.getInt("filters"), c.getInts("kernel_size", 1))
        .readConfig(c);
  }
}
