package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 3-D transposed convolution over {@code [batch, depth, height, width, channels]} inputs (or
 * channels-first), as Keras's {@code Conv3DTranspose}: kernel {@code [kd, kh, kw, filters, channels]}.
 * See {@link BaseConvTranspose} for output sizes.
 *
 * <pre>{@code
 * new Conv3DTranspose(4, 2).strides(2);
 * }</pre>
 */
public class Conv3DTranspose extends BaseConvTranspose<Conv3DTranspose> {

  public Conv3DTranspose(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public Conv3DTranspose(int filters, int[] kernelSize) {
    super(3, filters, kernelSize);
  }

  public static Conv3DTranspose fromConfig(Config c) {
    return new Conv3DTranspose(c.getInt("filters"), c.getInts("kernel_size", 3)).readConfig(c);
  }
}
