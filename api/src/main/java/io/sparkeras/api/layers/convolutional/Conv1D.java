package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.config.Config;

/**
 * 1-D convolution over {@code [batch, steps, channels]} inputs (or {@code [batch, channels,
 * steps]} with {@code dataFormat("channels_first")}), as Keras's {@code Conv1D}:
 * kernel {@code [k, channels / groups, filters]}; padding "valid", "same" or "causal" (left
 * zero-padding by {@code (k - 1) * dilation}, so step t sees only steps up to t).
 *
 * <pre>{@code
 * new Conv1D(16, 5).padding("causal").dilationRate(2).activation("relu");
 * }</pre>
 */
public class Conv1D extends BaseConv<Conv1D> {

  public Conv1D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  public Conv1D(int filters, int[] kernelSize) {
    super(1, filters, kernelSize);
  }

  @Override
  protected boolean allowsCausal() {
    return true;
  }

  public static Conv1D fromConfig(Config c) {
    return new Conv1D(c.getInt("filters"), c.getInts("kernel_size", 1)).readConfig(c);
  }
}
