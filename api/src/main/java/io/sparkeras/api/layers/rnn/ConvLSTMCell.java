package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.convolutional.ConvUtils;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The cell of the ConvLSTM layers, as Keras's {@code ConvLSTMCell}: an {@link LSTMCell} whose
 * products are convolutions. Input transformation {@code conv(x, kernel)} with the layer's
 * strides, padding and dilation; recurrent transformation {@code conv(h, recurrent_kernel)}
 * with stride 1 and "same" padding. Weights {@code kernel [k..., channels, 4 * filters]},
 * {@code recurrent_kernel [k..., filters, 4 * filters]}, {@code bias [4 * filters]} (gates i, f,
 * c, o along the last axis). Keras draws one dropout mask per gate. Channels-last here; the
 * layer moves channels-first inputs around it. Not registered on its own: Keras writes the
 * ConvLSTM layers without a {@code cell} entry.
 *
 * <pre>{@code new ConvLSTM2D(16, 3) }  // builds a ConvLSTMCell(2, 16, {3, 3})</pre>
 */
public class ConvLSTMCell extends LSTMCell {
  private final int rank;
  private final int[] kernelSize;
  private int[] strides;
  private String padding = "valid";
  private String dataFormat = "channels_last";
  private int[] dilationRate;
  private int[] stateShape;

  public ConvLSTMCell(int rank, int filters, int[] kernelSize) {
    super(filters);
    if (rank < 1 || rank > 3) {
      throw new IllegalArgumentException("ConvLSTM rank: expected 1, 2 or 3, found " + rank);
    }
    this.rank = rank;
    String kind = "ConvLSTM" + rank + "D";
    this.kernelSize = ConvUtils.tuple(kernelSize, rank, kind, "kernel_size");
    this.strides = ConvUtils.tuple(new int[] {1}, rank, kind, "strides");
    this.dilationRate = ConvUtils.tuple(new int[] {1}, rank, kind, "dilation_rate");
    implementation(1);
  }

  /** Reads the convolution keys and the LSTM keys of a ConvLSTM layer config. */
  void readConvConfig(Config c) {
    String kind = "ConvLSTM" + rank + "D";
    if (c.has("strides")) {
      strides = ConvUtils.tuple(c.getInts("strides", rank), rank, kind, "strides");
    }
    padding = ConvUtils.padding(c.getString("padding", "valid"), false, kind);
    dataFormat = ConvUtils.dataFormat(c.getString("data_format", null), kind);
    if (c.has("dilation_rate")) {
      dilationRate = ConvUtils.tuple(c.getInts("dilation_rate", rank), rank, kind,
          "dilation_rate");
    }
    readCellConfig(c);
    unitForgetBias(c.getBoolean("unit_forget_bias", true));
  }

  ConvLSTMCell strides(int... s) {
    strides = ConvUtils.tuple(s, rank, "ConvLSTM" + rank + "D", "strides");
    return this;
  }

  ConvLSTMCell padding(String p) {
    padding = ConvUtils.padding(p, false, "ConvLSTM" + rank + "D");
    return this;
  }

  ConvLSTMCell dilationRate(int... d) {
    dilationRate = ConvUtils.tuple(d, rank, "ConvLSTM" + rank + "D", "dilation_rate");
    return this;
  }

  ConvLSTMCell dataFormat(String f) {
    dataFormat = ConvUtils.dataFormat(f, "ConvLSTM" + rank + "D");
    return this;
  }

  String dataFormat() {
    return dataFormat;
  }

  int rank() {
    return rank;
  }

  @Override
  protected int[] kernelShape(int[] stepInputShape) {
    requireRank(stepInputShape, rank + 1, "(None, spatial..., channels) per step");
    for (int d : stepInputShape) {
      if (d < 0) {
        throw new IllegalArgumentException("ConvLSTM layers need known spatial and channel "
            + "sizes (as in Keras), found a step of shape " + shapeString(stepInputShape));
      }
    }
    stateShape = new int[rank + 1];
    for (int i = 0; i < rank; i++) {
      stateShape[i] = ConvUtils.outputLength(stepInputShape[i], kernelSize[i], strides[i],
          padding, dilationRate[i]);
      if (stateShape[i] <= 0) {
        throw new IllegalArgumentException("ConvLSTM" + rank + "D: a step of shape "
            + shapeString(stepInputShape) + " is smaller than the kernel "
            + Arrays.toString(kernelSize) + " with padding 'valid'");
      }
    }
    stateShape[rank] = units();
    int[] k = Arrays.copyOf(kernelSize, rank + 2);
    k[rank] = stepInputShape[rank];
    k[rank + 1] = 4 * units();
    return k;
  }

  @Override
  protected int[] recurrentKernelShape() {
    int[] k = Arrays.copyOf(kernelSize, rank + 2);
    k[rank] = units();
    k[rank + 1] = 4 * units();
    return k;
  }

  @Override
  public List<int[]> stateShapes() {
    return List.of(stateShape.clone(), stateShape.clone());
  }

  /** The input convolution, on one step or (batch and steps merged) on a whole sequence. */
  @Override
  protected Tensor inputProduct(Tensor x, Tensor kernel) {
    if (x.rank() == rank + 2) {
      return ops().conv(x, kernel, strides, padding, dilationRate, 1);
    }
    int[] s = x.shape();
    int[] merged = Arrays.copyOfRange(s, 1, s.length);
    merged[0] = s[0] * s[1];
    Tensor y = ops().conv(ops().reshape(x, merged), kernel, strides, padding, dilationRate, 1);
    int[] ys = y.shape();
    int[] split = new int[ys.length + 1];
    split[0] = s[0];
    split[1] = s[1];
    System.arraycopy(ys, 1, split, 2, ys.length - 1);
    return ops().reshape(y, split);
  }

  /** The recurrent convolution: stride 1, "same". */
  @Override
  protected Tensor recurrentProduct(Tensor h, Tensor kernel) {
    int[] ones = new int[rank];
    Arrays.fill(ones, 1);
    return ops().conv(h, kernel, ones, "same", ones, 1);
  }

  @Override
  protected void putSizeConfig(Map<String, Object> m) {
    m.put("filters", units());
    m.put("kernel_size", Config.shapeList(kernelSize));
    m.put("strides", Config.shapeList(strides));
    m.put("padding", padding);
    m.put("data_format", dataFormat);
    m.put("dilation_rate", Config.shapeList(dilationRate));
  }
}
