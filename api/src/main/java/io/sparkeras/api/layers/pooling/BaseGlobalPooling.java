package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.backend.Backends.ops;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.convolutional.ConvUtils;
import java.util.Map;

/**
 * Averages a channels-last input over all its spatial axes, as Keras's global pooling layers:
 * {@code [batch, ..., channels]} to {@code [batch, channels]}, or with {@code keepdims} to
 * {@code [batch, 1, ..., 1, channels]}.
 *
 * <pre>{@code
 * new GlobalAveragePooling2D().keepdims(true);
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseGlobalPooling<T extends BaseGlobalPooling<T>> extends Layer {
  private final int rank;
  private boolean keepdims;

  protected BaseGlobalPooling(int rank) {
    this.rank = rank;
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /** Reads the Keras config keys ({@code data_format}, {@code keepdims}). */
  protected T readConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    ConvUtils.requireChannelsLast(c.getString("data_format", null), getClass().getSimpleName());
    return keepdims(c.getBoolean("keepdims", false));
  }

  /** Keep the pooled spatial axes with size 1 (default false: drop them). */
  public T keepdims(boolean keepdims) {
    this.keepdims = keepdims;
    return self();
  }

  /** Only "channels_last" is supported; anything else fails, naming the key. */
  public T dataFormat(String dataFormat) {
    ConvUtils.requireChannelsLast(dataFormat, getClass().getSimpleName());
    return self();
  }

  /** The expected input form for error messages, e.g. "(None, height, width, channels)". */
  protected abstract String inputForm();

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i + 1;
    }
    return ops().mean(x, axes, keepdims);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, inputForm());
    if (!keepdims) {
      return new int[] {inputShape[rank]};
    }
    int[] out = new int[rank + 1];
    java.util.Arrays.fill(out, 1);
    out[rank] = inputShape[rank];
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("data_format", "channels_last");
    m.put("keepdims", keepdims);
    return m;
  }
}
