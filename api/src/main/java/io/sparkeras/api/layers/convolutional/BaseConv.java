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
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The N-d convolution behind {@link Conv1D} and {@link Conv2D}, as Keras's {@code BaseConv}:
 * {@code activation(conv(x, kernel) + bias)}, channels-last, kernel
 * {@code [k..., in / groups, filters]}, bias {@code [filters]}.
 *
 * <pre>{@code
 * new Conv2D(32, 3).strides(2).padding("same").activation("relu");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseConv<T extends BaseConv<T>> extends Layer {
  private final int rank;
  private final int filters;
  private final int[] kernelSize;
  private int[] strides;
  private String padding = "valid";
  private int[] dilationRate;
  private int groups = 1;
  private String activation = "linear";
  private UnaryOperator<Tensor> activationFn = Activations.get("linear");
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Variable kernel;
  private Variable bias;

  protected BaseConv(int rank, int filters, int[] kernelSize) {
    this.rank = rank;
    if (filters <= 0) {
      throw new IllegalArgumentException(kind() + " filters: expected a positive integer, found "
          + filters);
    }
    this.filters = filters;
    this.kernelSize = ConvUtils.tuple(kernelSize, rank, kind(), "kernel_size");
    this.strides = ConvUtils.tuple(new int[] {1}, rank, kind(), "strides");
    this.dilationRate = ConvUtils.tuple(new int[] {1}, rank, kind(), "dilation_rate");
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  private String kind() {
    return getClass().getSimpleName();
  }

  /** Reads every Keras config key but filters and kernel_size (read by the subclass). */
  protected T readConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    ConvUtils.requireChannelsLast(c.getString("data_format", null), kind());
    if (c.has("strides")) {
      strides(c.getInts("strides", rank));
    }
    padding(c.getString("padding", "valid"));
    if (c.has("dilation_rate")) {
      dilationRate(c.getInts("dilation_rate", rank));
    }
    groups(c.getInt("groups", 1));
    activation(c.getString("activation", "linear"));
    useBias(c.getBoolean("use_bias", true));
    if (c.has("kernel_initializer")) {
      kernelInitializer(Initializer.REGISTRY.deserialize(c.get("kernel_initializer")));
    }
    if (c.has("bias_initializer")) {
      biasInitializer(Initializer.REGISTRY.deserialize(c.get("bias_initializer")));
    }
    Unsupported.requireNull(c, "kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint", "lora_rank");
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
    this.padding = ConvUtils.padding(padding, rank == 1, kind());
    return self();
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

  /** Channel groups: input channels and filters are split into this many independent groups. */
  public T groups(int groups) {
    if (groups <= 0 || filters % groups != 0) {
      throw new IllegalArgumentException(kind() + " groups: expected a positive divisor of "
          + "filters=" + filters + ", found " + groups);
    }
    this.groups = groups;
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

  public T kernelInitializer(Initializer init) {
    this.kernelInitializer = init;
    return self();
  }

  public T kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public T biasInitializer(Initializer init) {
    this.biasInitializer = init;
    return self();
  }

  public T biasInitializer(String name) {
    return biasInitializer(Initializer.REGISTRY.deserialize(name));
  }

  /** Only "channels_last" is supported; anything else fails, naming the key. */
  public T dataFormat(String dataFormat) {
    ConvUtils.requireChannelsLast(dataFormat, kind());
    return self();
  }

  public int filters() {
    return filters;
  }

  public int[] kernelSize() {
    return kernelSize.clone();
  }

  public Variable kernel() {
    return kernel;
  }

  public Variable bias() {
    return bias;
  }

  /** The expected input form for error messages, e.g. "(None, height, width, channels)". */
  protected abstract String inputForm();

  // ---- life cycle ------------------------------------------------------------------------

  private void checkInput(int[] inputShape) {
    requireRank(inputShape, rank + 1, inputForm());
    int in = inputShape[rank];
    if (in < 0 || in % groups != 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") needs a known "
          + "number of input channels divisible by groups=" + groups + ", found input shape "
          + shapeString(inputShape));
    }
  }

  @Override
  public void build(int[] inputShape) {
    checkInput(inputShape);
    computeOutputShape(inputShape);
    int[] kshape = new int[rank + 2];
    System.arraycopy(kernelSize, 0, kshape, 0, rank);
    kshape[rank] = inputShape[rank] / groups;
    kshape[rank + 1] = filters;
    kernel = addWeight("kernel", kshape, kernelInitializer, true);
    if (useBias) {
      bias = addWeight("bias", new int[] {filters}, biasInitializer, true);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    String mode = padding;
    if (padding.equals("causal")) {
      int left = (kernelSize[0] - 1) * dilationRate[0];
      if (left > 0) {
        Tensor zeros = ops().zeros(x.dim(0), left, x.dim(2));
        x = ops().concatenate(List.of(zeros, x), 1);
      }
      mode = "valid";
    }
    Tensor y = ops().conv(x, kernel.value(), strides, mode, dilationRate, groups);
    if (useBias) {
      y = ops().add(y, bias.value());
    }
    return activationFn.apply(y);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    checkInput(inputShape);
    int[] out = new int[rank + 1];
    for (int i = 0; i < rank; i++) {
      out[i] = ConvUtils.outputLength(inputShape[i], kernelSize[i], strides[i], padding,
          dilationRate[i]);
      if (out[i] == 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + "): input "
            + shapeString(inputShape) + " is smaller than the dilated kernel "
            + ConvUtils.tupleString(kernelSize) + " with dilation_rate "
            + ConvUtils.tupleString(dilationRate) + " and padding 'valid'");
      }
    }
    out[rank] = filters;
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("filters", filters);
    m.put("kernel_size", Config.shapeList(kernelSize));
    m.put("strides", Config.shapeList(strides));
    m.put("padding", padding);
    m.put("data_format", "channels_last");
    m.put("dilation_rate", Config.shapeList(dilationRate));
    m.put("groups", groups);
    m.put("activation", activation);
    m.put("use_bias", useBias);
    m.put("kernel_initializer", Initializer.REGISTRY.serialize(kernelInitializer));
    m.put("bias_initializer", Initializer.REGISTRY.serialize(biasInitializer));
    m.put("kernel_regularizer", null);
    m.put("bias_regularizer", null);
    m.put("activity_regularizer", null);
    m.put("kernel_constraint", null);
    m.put("bias_constraint", null);
    return m;
  }
}
