package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 3-D convolution over {@code [batch, depth, height, width, channels]} inputs (or
 * {@code [batch, channels, depth, height, width]} with {@code channels_first}), as Keras's
 * {@code Conv3D}: kernel {@code [kd, kh, kw, channels / groups, filters]}.
 *
 * <pre>{@code
 * new Conv3D(8, 3).padding("same").activation("relu");
 * }</pre>
 */
public class Conv3D extends BaseConv<Conv3D> {

  /** A cubic kernel. */
  public Conv3D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** A {@code {kd, kh, kw}} kernel (one value means cubic). */
  public Conv3D(int filters, int[] kernelSize) {
    super(3, filters, kernelSize);
  }

  public static Conv3D fromConfig(Config c) {
    return new Conv3D(c.getInt("filters"), c.getInts("kernel_size", 3)).readConfig(c);
  }
}
