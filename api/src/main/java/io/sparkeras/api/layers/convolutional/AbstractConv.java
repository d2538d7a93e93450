package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.activations.Activations;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.layers.core.Unsupported;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What every Keras convolution layer shares ({@link BaseConv}, {@link BaseConvTranspose},
 * {@link BaseDepthwiseConv}, {@link BaseSeparableConv}): kernel size, strides, padding,
 * {@code data_format}, dilation, activation, bias, and the config keys around them. Weights are
 * always in Keras's layout (channels-last kernels such as {@code [kh, kw, in, out]}); a
 * {@code channels_first} input ({@code [batch, channels, spatial...]}) is moved to channels-last
 * around the backend call, a view that costs no copy on libtorch.
 *
 * <pre>{@code
 * new Conv2D(16, 3).strides(2).padding("same").dataFormat("channels_first").activation("relu");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class AbstractConv<T extends AbstractConv<T>> extends Layer {
  private final int rank;
  private final int[] kernelSize;
  private int[] strides;
  private String padding = "valid";
  private String dataFormat = "channels_last";
  private int[] dilationRate;
  private String activation = "linear";
  private UnaryOperator<Tensor> activationFn = Activations.get("linear");
  private boolean useBias = true;
  /** Kernel initializers by weight prefix ("kernel", "depthwise", "pointwise"), in Keras's order. */
  private final Map<String, Initializer> kernelInitializers = new LinkedHashMap<>();
  private Initializer biasInitializer = new Zeros();
  private Variable bias;

  /**
   * @param kernels the prefixes of the layer's kernel config keys ({@code kernel} for
   *     {@code kernel_initializer}, ...), in Keras's order
   */
  protected AbstractConv(int rank, int[] kernelSize, String... kernels) {
    this.rank = rank;
    this.kernelSize = ConvUtils.tuple(kernelSize, rank, kind(), "kernel_size");
    this.strides = ConvUtils.tuple(new int[] {1}, rank, kind(), "strides");
    this.dilationRate = ConvUtils.tuple(new int[] {1}, rank, kind(), "dilation_rate");
    for (String k : kernels) {
      kernelInitializers.put(k, new GlorotUniform());
    }
  }

  /** Checks a size argument such as {@code filters}, naming it. */
  protected final int positive(int value, String key) {
    if (value <= 0) {
      throw new IllegalArgumentException(kind() + " " + key + ": expected a positive integer, "
          + "found " + value);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  protected final T self() {
    return (T) this;
  }

  protected final String kind() {
    return getClass().getSimpleName();
  }

  /** Reads every shared Keras config key (the subclass reads its own first: filters, ...). */
  protected T readConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    dataFormat(c.getString("data_format", null));
    if (c.has("strides")) {
      strides(c.getInts("strides", rank));
    }
    padding(c.getString("padding", "valid"));
    if (c.has("dilation_rate")) {
      dilationRate(c.getInts("dilation_rate", rank));
    }
    activation(c.getString("activation", "linear"));
    useBias(c.getBoolean("use_bias", true));
    for (String k : kernelInitializers.keySet()) {
      if (c.has(k + "_initializer")) {
        kernelInitializers.put(k, Initializer.REGISTRY.deserialize(c.get(k + "_initializer")));
      }
    }
    if (c.has("bias_initializer")) {
      biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    for (String k : kernelInitializers.keySet()) {
      Unsupported.requireNull(c, k + "_regularizer", k + "_constraint");
    }
    Unsupported.requireNull(c, "bias_regularizer", "activity_regularizer", "bias_constraint",
        "lora_rank");
    return self();
  }

  // ---- settings --------------------------------------------------------------------------

  /** Strides: one value for every spatial axis, or one per axis. Default 1. */
  public T strides(int... strides) {
    int[] s = ConvUtils.tuple(strides, rank, kind(), "strides");
    checkStridesWithDilation(s, dilationRate);
    this.strides = s;
    return self();
  }

  /** "valid" (default) or "same"; Conv1D also takes "causal". */
  public T padding(String padding) {
    this.padding = ConvUtils.padding(padding, allowsCausal(), kind());
    return self();
  }

  /** Whether "causal" padding is accepted (Conv1D only). */
  protected boolean allowsCausal() {
    return false;
  }

  /** Dilation: one value for every spatial axis, or one per axis. Default 1. */
  public T dilationRate(int... dilationRate) {
    int[] d = ConvUtils.tuple(dilationRate, rank, kind(), "dilation_rate");
    checkStridesWithDilation(strides, d);
    this.dilationRate = d;
    return self();
  }

  private void checkStridesWithDilation(int[] s, int[] d) {
    int maxS = 1;
    int maxD = 1;
    for (int i = 0; i < rank; i++) {
      maxS = Math.max(maxS, s[i]);
      maxD = Math.max(maxD, d[i]);
    }
    if (maxS > 1 && maxD > 1) {
      throw new IllegalArgumentException(kind() + ": strides > 1 cannot be combined with "
          + "dilation_rate > 1 (as in Keras), found strides=" + ConvUtils.tupleString(s)
          + " and dilation_rate=" + ConvUtils.tupleString(d));
    }
  }

  /**
   * "channels_last" (default: {@code [batch, spatial..., channels]}) or "channels_first"
   * ({@code [batch, channels, spatial...]}).
   */
  public T dataFormat(String dataFormat) {
    this.dataFormat = ConvUtils.dataFormat(dataFormat, kind());
    return self();
  }

  /** Activation by Keras name ("relu", ...); default linear. */
  public T activation(String name) {
    this.activation = Activations.canonical(name);
    this.activationFn = Activations.get(activation);
    return self();
  }

  public T useBias(boolean useBias) {
    this.useBias = useBias;
    return self();
  }

  public T biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return self();
  }

  public T biasInitializer(String name) {
    return biasInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Sets the initializer of one kernel ("kernel", "depthwise" or "pointwise"). */
  protected final T setKernelInitializer(String kernel, Initializer init) {
    kernelInitializers.put(kernel, init);
    return self();
  }

  protected final Initializer initializerOf(String kernel) {
    return kernelInitializers.get(kernel);
  }

  public int rank() {
    return rank;
  }

  public int[] kernelSize() {
    return kernelSize.clone();
  }

  public int[] strides() {
    return strides.clone();
  }

  public String padding() {
    return padding;
  }

  public int[] dilationRate() {
    return dilationRate.clone();
  }

  public String dataFormat() {
    return dataFormat;
  }

  public boolean isChannelsFirst() {
    return dataFormat.equals("channels_first");
  }

  public Variable bias() {
    return bias;
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** The expected input form for error messages, e.g. "(None, height, width, channels)". */
  protected String inputForm() {
    String[] names = rank == 1 ? new String[] {"steps"} : rank == 2
        ? new String[] {"height", "width"} : new String[] {"depth", "height", "width"};
    String spatial = String.join(", ", names);
    return isChannelsFirst() ? "(None, channels, " + spatial + ")"
        : "(None, " + spatial + ", channels)";
  }

  /** The input's channel count, after checking its rank and that the count is known. */
  protected final int inputChannels(int[] inputShape) {
    requireRank(inputShape, rank + 1, inputForm());
    int in = inputShape[isChannelsFirst() ? 0 : rank];
    if (in < 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") needs a "
          + "known number of input channels, found input shape " + shapeString(inputShape));
    }
    return in;
  }

  /** Output channels for this many input channels. */
  protected abstract int outputChannels(int inputChannels);

  /** Creates the kernel weights (the bias follows, as in Keras). */
  protected abstract void buildKernels(int inputChannels);

  /** The convolution itself on a channels-last input, without bias or activation. */
  protected abstract Tensor convolve(Tensor x);

  /** One spatial output size. */
  protected int outputLength(int axis, int in) {
    return ConvUtils.outputLength(in, kernelSize[axis], strides[axis], padding,
        dilationRate[axis]);
  }

  @Override
  public void build(int[] inputShape) {
    int in = inputChannels(inputShape);
    computeOutputShape(inputShape);
    buildKernels(in);
    if (useBias) {
      bias = addWeight("bias", new int[] {outputChannels(in)}, biasInitializer, true);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int r = rank + 2;
    Tensor in = isChannelsFirst() ? ops().transpose(x, ConvUtils.channelsPermutation(r, true)) : x;
    Tensor y = convolve(in);
    if (useBias) {
      y = ops().add(y, bias.value());
    }
    y = activationFn.apply(y);
    return isChannelsFirst() ? ops().transpose(y, ConvUtils.channelsPermutation(r, false)) : y;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int channels = outputChannels(inputChannels(inputShape));
    int[] out = new int[rank + 1];
    int first = isChannelsFirst() ? 1 : 0;
    for (int i = 0; i < rank; i++) {
      out[first + i] = outputLength(i, inputShape[first + i]);
      if (out[first + i] == 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + "): input "
            + shapeString(inputShape) + " is smaller than the dilated kernel "
            + ConvUtils.tupleString(kernelSize) + " with dilation_rate "
            + ConvUtils.tupleString(dilationRate) + " and padding 'valid'");
      }
    }
    out[isChannelsFirst() ? 0 : rank] = channels;
    return out;
  }

  // ---- config ------------------------------------------------------------------------------

  /** Keys before {@code kernel_size}: filters, depth_multiplier. */
  protected abstract void putLeadingConfig(Map<String, Object> m);

  /** Keys between {@code dilation_rate} and {@code activation} (Conv's groups); none by default. */
  protected void putMiddleConfig(Map<String, Object> m) {}

  /** Keras's config, keys in Keras's order. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    putLeadingConfig(m);
    m.put("kernel_size", Config.shapeList(kernelSize));
    m.put("strides", Config.shapeList(strides));
    m.put("padding", padding);
    m.put("data_format", dataFormat);
    m.put("dilation_rate", Config.shapeList(dilationRate));
    putMiddleConfig(m);
    m.put("activation", activation);
    m.put("use_bias", useBias);
    for (Map.Entry<String, Initializer> e : kernelInitializers.entrySet()) {
      m.put(e.getKey() + "_initializer", Initializer.REGISTRY.serialize(e.getValue()));
    }
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    for (String k : kernelInitializers.keySet()) {
      m.put(k + "_regularizer", null);
    }
    m.put("bias_regularizer", null);
    m.put("activity_regularizer", null);
    for (String k : kernelInitializers.keySet()) {
      m.put(k + "_constraint", null);
    }
    m.put("bias_constraint", null);
    return m;
  }
}
