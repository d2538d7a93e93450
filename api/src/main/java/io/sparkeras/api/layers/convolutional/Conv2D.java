package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 2-D convolution over {@code [batch, height, width, channels]} inputs (or
 * {@code [batch, channels, height, width]} with {@code dataFormat("channels_first")}), as Keras's
 * {@code Conv2D}: kernel {@code [kh, kw, channels / groups, filters]}; "same" padding gives
 * {@code ceil(in / stride)} outputs, "valid" {@code floor((in - (k - 1) * d - 1) / stride) + 1}.
 *
 * <pre>{@code
 * new Conv2D(32, 3).activation("relu");
 * }</pre>
 */
public class Conv2D extends BaseConv<Conv2D> {

  /** A square {@code kernelSize x kernelSize} kernel. */
  public Conv2D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** A {@code {kh, kw}} kernel (one value means square). */
  public Conv2D(int filters, int[] kernelSize) {
    super(2, filters, kernelSize);
  }

  public static Conv2D fromConfig(Config c) {
    return new Conv2D(c.getInt("filters"), c.getInts("kernel_size", 2)).readConfig(c);
  }
}
