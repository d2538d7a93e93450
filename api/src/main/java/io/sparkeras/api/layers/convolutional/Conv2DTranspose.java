package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 2-D transposed convolution over {@code [batch, height, width, channels]} inputs (or
 * channels-first), as Keras's {@code Conv2DTranspose}: kernel {@code [kh, kw, filters, channels]}.
 * See {@link BaseConvTranspose} for output sizes.
 *
 * <pre>{@code
 * new Conv2DTranspose(16, 3).strides(2).padding("same");
 * }</pre>
 */
public class Conv2DTranspose extends BaseConvTranspose<Conv2DTranspose> {

  public Conv2DTranspose(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public Conv2DTranspose(int filters, int[] kernelSize) {
    super(2, filters, kernelSize);
  }

  public static Conv2DTranspose fromConfig(Config c) {
    return new Conv2DTranspose(c.getInt("filters"), c.getInts("kernel_size", 2)).readConfig(c);
  }
}
