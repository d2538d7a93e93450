package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;

/**
 * 2-D convolutional LSTM over {@code (batch, steps, rows, cols, channels)} inputs, as Keras's
 * {@code ConvLSTM2D}; see {@link ConvLSTM} and {@link ConvLSTMCell}.
 *
 * <pre>{@code
 * new ConvLSTM2D(16, 3).padding("same");
 * }</pre>
 */
public class ConvLSTM2D extends ConvLSTM<ConvLSTM2D> {

  public ConvLSTM2D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public ConvLSTM2D(int filters, int[] kernelSize) {
    super(2, filters, kernelSize);
  }

  public static ConvLSTM2D fromConfig(Config c) {
    return new ConvLSTM2D(c.getInt("filters"), c.getInts("kernel_size", 2)).readConfig(c);
  }
}
