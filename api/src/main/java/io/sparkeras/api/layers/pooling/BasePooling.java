package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.convolutional.ConvUtils;
import java.util.Map;

/**
 * The N-d max or average pooling behind {@link MaxPooling1D}, {@link MaxPooling2D} and
 * {@link AveragePooling2D}, as Keras's {@code BasePooling}: channels-last, strides default to the
 * pool size, "same" padding gives {@code ceil(in / stride)} outputs (average pooling then averages
 * over the cells inside the input only).
 *
 * <pre>{@code
 * new MaxPooling2D(3).strides(2).padding("same");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BasePooling<T extends BasePooling<T>> extends Layer {
  private final int rank;
  private final boolean max;
  private final int[] poolSize;
  private int[] strides;
  private String padding = "valid";

  protected BasePooling(int rank, boolean max, int[] poolSize) {
    this.rank = rank;
    this.max = max;
    this.poolSize = ConvUtils.tuple(poolSize, rank, kind(), "pool_size");
    this.strides = this.poolSize.clone();
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  private String kind() {
    return getClass().getSimpleName();
  }

  /** Reads the Keras config keys but pool_size (read by the subclass). */
  protected T readConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    ConvUtils.requireChannelsLast(c.getString("data_format", null), kind());
    if (c.has("strides")) {
      strides(c.getInts("strides", rank));
    }
    padding(c.getString("padding", "valid"));
    return self();
  }

  /** Strides: one value for every spatial axis, or one per axis; default the pool size. */
  public T strides(int... strides) {
    this.strides = ConvUtils.tuple(strides, rank, kind(), "strides");
    return self();
  }

  /** "valid" (default) or "same". */
  public T padding(String padding) {
    this.padding = ConvUtils.padding(padding, false, kind());
    return self();
  }

  /** Only "channels_last" is supported; anything else fails, naming the key. */
  public T dataFormat(String dataFormat) {
    ConvUtils.requireChannelsLast(dataFormat, kind());
    return self();
  }

  public int[] poolSize() {
    return poolSize.clone();
  }

  public int[] strides() {
    return strides.clone();
  }

  /** The expected input form for error messages, e.g. "(None, height, width, channels)". */
  protected abstract String inputForm();

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return max ? ops().maxPool(x, poolSize, strides, padding)
        : ops().averagePool(x, poolSize, strides, padding);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, inputForm());
    int[] out = inputShape.clone();
    for (int i = 0; i < rank; i++) {
      out[i] = ConvUtils.outputLength(inputShape[i], poolSize[i], strides[i], padding, 1);
      if (out[i] == 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + "): input "
            + shapeString(inputShape) + " is smaller than pool_size "
            + java.util.Arrays.toString(poolSize) + " with padding 'valid'");
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("pool_size", Config.shapeList(poolSize));
    m.put("padding", padding);
    m.put("strides", Config.shapeList(strides));
    m.put("data_format", "channels_last");
    return m;
  }
}
