package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.config.Config;

/**
 * 1-D convolutional LSTM over {@code (batch, steps, steps', channels)} inputs, as Keras's
 * {@code ConvLSTM1D}; see {@link ConvLSTM} and {@link ConvLSTMCell}.
 *
 * <pre>{@code
 * new ConvLSTM1D(8, 3).returnSequences(true);
 * }</pre>
 */
public class ConvLSTM1D extends ConvLSTM<ConvLSTM1D> {

  public ConvLSTM1D(int filters, int kernelSize) {
    this(filters, new int[] {kernelSize});
  }

  /** One kernel size per spatial axis (one value means the same on every axis). */
  public ConvLSTM1D(int filters, int[] kernelSize) {
    super(1, filters, kernelSize);
  }

  public static ConvLSTM1D fromConfig(Config c) {
    return new ConvLSTM1D(c.getInt("filters"), c.getInts("kernel_size", 1)).readConfig(c);
  }
}
