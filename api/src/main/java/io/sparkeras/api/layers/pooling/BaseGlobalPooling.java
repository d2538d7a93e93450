package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.Map;

/**
 * The mean or max over all spatial axes, as Keras's global pooling layers:
 * {@code [batch, ..., channels]} to {@code [batch, channels]}, or with {@code keepdims} to
 * {@code [batch, 1, ..., 1, channels]} ({@code [batch, channels, 1, ..., 1]} with
 * {@code data_format} channels_first).
 *
 * <pre>{@code
 * new GlobalAveragePooling2D().keepdims(true);
 * new GlobalMaxPooling1D().dataFormat("channels_first");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseGlobalPooling<T extends BaseGlobalPooling<T>> extends Layer {
  private final int rank;
  private final boolean max;
  private boolean keepdims;
  private DataFormat dataFormat = DataFormat.CHANNELS_LAST;

  /** Average pooling over {@code rank} spatial axes. */
  protected BaseGlobalPooling(int rank) {
    this(rank, false);
  }

  protected BaseGlobalPooling(int rank, boolean max) {
    this.rank = rank;
    this.max = max;
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /** Reads the Keras config keys ({@code data_format}, {@code keepdims}). */
  protected T readConfig(Config c) {
    LayerConfigs.base(this, c);
    dataFormat(c.getString("data_format", null));
    return keepdims(c.getBoolean("keepdims", false));
  }

  /** Keep the pooled spatial axes with size 1 (default false: drop them). */
  public T keepdims(boolean keepdims) {
    this.keepdims = keepdims;
    return self();
  }

  /** Whether the pooled axes are kept with size 1. */
  public boolean isKeepdims() {
    return keepdims;
  }

  /** The layout of the input. */
  public DataFormat dataFormat() {
    return dataFormat;
  }

  /** "channels_last" (default, also for null) or "channels_first". */
  public T dataFormat(String dataFormat) {
    this.dataFormat = DataFormat.of(dataFormat, getClass().getSimpleName());
    return self();
  }

  /** The expected input form for error messages, e.g. "(None, height, width, channels)". */
  protected String inputForm() {
    String[] axes = {"steps", "height, width", "depth, height, width"};
    return dataFormat == DataFormat.CHANNELS_LAST ? "(None, " + axes[rank - 1] + ", channels)"
        : "(None, channels, " + axes[rank - 1] + ")";
  }

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int first = dataFormat == DataFormat.CHANNELS_LAST ? 1 : 2;
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = first + i;
    }
    return max ? ops().max(x, axes, keepdims) : ops().mean(x, axes, keepdims);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, inputForm());
    int channels = dataFormat == DataFormat.CHANNELS_LAST ? inputShape[rank] : inputShape[0];
    if (!keepdims) {
      return new int[] {channels};
    }
    int[] out = new int[rank + 1];
    java.util.Arrays.fill(out, 1);
    out[dataFormat == DataFormat.CHANNELS_LAST ? rank : 0] = channels;
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("data_format", dataFormat.kerasName());
    m.put("keepdims", keepdims);
    return m;
  }
}
