package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 1-D transposed convolution over {@code [batch, steps, channels]} inputs (or
 * channels-first), as Keras's {@code Conv1DTranspose}: kernel {@code [k, filters, channels]}.
 * See {@link BaseConvTranspose} for output sizes.
 *
 * <pre>{@code
 * new Conv1DTranspose(8, 4).strides(2);
 * }</pre>
 */
public class Conv1DTranspose extends BaseConvTranspose<Conv1DTranspose> {

  public Conv1DTranspose(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public Conv1DTranspose(int filters, int[] kernelSize) {
    super(1, filters, kernelSize);
  }

  public static Conv1DTranspose fromConfig(Config c) {
    return new Conv1DTranspose(c.getInt("filters"), c.getInts("kernel_size", 1)).readConfig(c);
  }
}
