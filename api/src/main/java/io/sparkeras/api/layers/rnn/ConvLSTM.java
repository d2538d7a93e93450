package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.convolutional.ConvUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The convolutional LSTM behind {@link ConvLSTM1D}, {@link ConvLSTM2D} and {@link ConvLSTM3D}
 * (Shi et al. 2015), as Keras's {@code ConvLSTM}: an {@link RNN} around a {@link ConvLSTMCell}
 * over inputs {@code (batch, steps, spatial..., channels)}, or
 * {@code (batch, steps, channels, spatial...)} with {@code channels_first}. The states and the
 * output are images {@code (spatial'..., filters)} (conv output sizes of the layer's kernel,
 * strides, padding and dilation). See {@link RNN} for sequences, states and masks.
 *
 * <pre>{@code new ConvLSTM2D(16, 3).padding("same").returnSequences(true); }</pre>
 *
 * @param <T> the concrete layer
 */
public abstract class ConvLSTM<T extends ConvLSTM<T>> extends DenseRNN<T, LSTMCell> {
  private final int rank;

  protected ConvLSTM(int rank, int filters, int[] kernelSize) {
    super(new ConvLSTMCell(rank, filters, kernelSize), "conv_lstm_cell");
    this.rank = rank;
  }

  private ConvLSTMCell convCell() {
    return (ConvLSTMCell) typedCell();
  }

  @Override
  protected T readConfig(Config c) {
    readRnnConfig(c);
    convCell().trainable(isTrainable());
    convCell().readConvConfig(c);
    return self();
  }

  /** Strides of the input convolution: one value for every spatial axis, or one per axis. */
  public T strides(int... strides) {
    convCell().strides(strides);
    return self();
  }

  /** Padding of the input convolution, "valid" (default) or "same". */
  public T padding(String padding) {
    convCell().padding(padding);
    return self();
  }

  /** Dilation of the input convolution. */
  public T dilationRate(int... dilationRate) {
    convCell().dilationRate(dilationRate);
    return self();
  }

  /** "channels_last" (default) or "channels_first". */
  public T dataFormat(String dataFormat) {
    convCell().dataFormat(dataFormat);
    return self();
  }

  /** Activation of the gates (Keras default {@code sigmoid}). */
  public T recurrentActivation(String name) {
    convCell().recurrentActivation(name);
    return self();
  }

  /** Start the forget gate's bias at 1 (Keras default true). */
  public T unitForgetBias(boolean unitForgetBias) {
    convCell().unitForgetBias(unitForgetBias);
    return self();
  }

  public int filters() {
    return units();
  }

  private boolean channelsFirst() {
    return convCell().dataFormat().equals("channels_first");
  }

  @Override
  protected String inputForm() {
    String spatial = rank == 1 ? "steps'" : rank == 2 ? "rows, cols" : "depth, rows, cols";
    return channelsFirst() ? "(None, steps, channels, " + spatial + ")"
        : "(None, steps, " + spatial + ", channels)";
  }

  @Override
  protected void checkInputShape(int[] inputShape) {
    requireRank(inputShape, rank + 2, inputForm());
  }

  /** A shape (batch excluded) moved between channels-first and channels-last. */
  private static int[] moveChannels(int[] shape, int from, boolean toLast) {
    int[] out = shape.clone();
    int last = shape.length - 1;
    if (toLast) {
      System.arraycopy(shape, from + 1, out, from, last - from);
      out[last] = shape[from];
    } else {
      System.arraycopy(shape, from, out, from + 1, last - from);
      out[from] = shape[last];
    }
    return out;
  }

  @Override
  public void build(int[] inputShape) {
    checkInputShape(inputShape);
    int[] step = Arrays.copyOfRange(inputShape, 1, inputShape.length);
    typedCell().ensureBuilt(List.of(channelsFirst() ? moveChannels(step, 0, true) : step));
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int[] out = super.computeOutputShape(inputShape);
    return channelsFirst() ? moveChannels(out, isReturnSequences() ? 1 : 0, false) : out;
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> inputShapes, Map<String, Object> args) {
    List<int[]> out = new ArrayList<>(super.computeOutputShapes(inputShapes, args));
    for (int i = 1; i < out.size(); i++) {
      out.set(i, channelsFirst() ? moveChannels(out.get(i), 0, false) : out.get(i));
    }
    return out;
  }

  /** Channels-first inputs, states and outputs are moved around the channels-last loop. */
  @Override
  public List<Tensor> call(CallArgs args) {
    if (!channelsFirst()) {
      return super.call(args);
    }
    int r = rank + 2;
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < args.inputs().size(); i++) {
      Tensor t = args.input(i);
      inputs.add(i == 0 ? toLastAfterSteps(t) : ops().transpose(t,
          ConvUtils.channelsPermutation(r, true)));
    }
    CallArgs moved = CallArgs.of(inputs).training(args.training());
    if (args.hasMask() && args.masksExplicit()) {
      moved.masks(args.masks());
    } else if (args.hasMask()) {
      moved.propagatedMasks(args.masks());
    }
    List<Tensor> states = args.tensors("initial_state");
    if (states != null) {
      List<Tensor> t = new ArrayList<>();
      for (Tensor s : states) {
        t.add(ops().transpose(s, ConvUtils.channelsPermutation(r, true)));
      }
      moved.arg("initial_state", t);
    }
    List<Tensor> out = super.call(moved);
    List<Tensor> back = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      Tensor t = out.get(i);
      back.add(t.rank() == r + 1 ? fromLastAfterSteps(t)
          : ops().transpose(t, ConvUtils.channelsPermutation(r, false)));
    }
    return back;
  }

  /** {@code (batch, steps, channels, spatial...)} to {@code (batch, steps, spatial..., channels)}. */
  private Tensor toLastAfterSteps(Tensor x) {
    int[] p = new int[rank + 3];
    p[0] = 0;
    p[1] = 1;
    for (int i = 2; i < p.length - 1; i++) {
      p[i] = i + 1;
    }
    p[p.length - 1] = 2;
    return ops().transpose(x, p);
  }

  private Tensor fromLastAfterSteps(Tensor x) {
    int[] p = new int[rank + 3];
    p[0] = 0;
    p[1] = 1;
    p[2] = p.length - 1;
    for (int i = 3; i < p.length; i++) {
      p[i] = i - 1;
    }
    return ops().transpose(x, p);
  }
}
