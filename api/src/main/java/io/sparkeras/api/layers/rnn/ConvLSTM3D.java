package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;

/**
 * 3-D convolutional LSTM over {@code (batch, steps, depth, rows, cols, channels)} inputs, as Keras's
 * {@code ConvLSTM3D}; see {@link ConvLSTM} and {@link ConvLSTMCell}.
 *
 * <pre>{@code
 * new ConvLSTM3D(4, 2);
 * }</pre>
 */
public class ConvLSTM3D extends ConvLSTM<ConvLSTM3D> {

  public ConvLSTM3D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public ConvLSTM3D(int filters, int[] kernelSize) {
    super(3, filters, kernelSize);
  }

  public static ConvLSTM3D fromConfig(Config c) {
    return new ConvLSTM3D(c.getInt("filters"), c.getInts("kernel_size", 3)).readConfig(c);
  }
}
