package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.convolutional.ConvUtils;
import java.util.Map;

/**
 * The N-d max or average pooling (N = 1, 2, 3) behind the Max/AveragePooling layers, as Keras's
 * {@code BasePooling}: strides default to the pool size, "same" padding gives
 * {@code ceil(in / stride)} outputs (average pooling then averages over the cells inside the input
 * only), {@code data_format} channels_last (default) or channels_first.
 *
 * <pre>{@code
 * new MaxPooling2D(3).strides(2).padding("same");
 * new AveragePooling3D(2).dataFormat("channels_first");
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
  private DataFormat dataFormat = DataFormat.CHANNELS_LAST;

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

  /** Keras's {@code pool_size} of a config ({@code dflt} in every dimension when absent). */
  protected static int[] poolSize(Config c, int rank, int dflt) {
    if (c.has("pool_size")) {
      return c.getInts("pool_size", rank);
    }
    int[] p = new int[rank];
    java.util.Arrays.fill(p, dflt);
    return p;
  }

  /** Reads the Keras config keys but pool_size (read by the subclass). */
  protected T readConfig(Config c) {
    LayerConfigs.base(this, c);
    dataFormat(c.getString("data_format", null));
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

  /** "channels_last" (default, also for null) or "channels_first". */
  public T dataFormat(String dataFormat) {
    this.dataFormat = DataFormat.of(dataFormat, kind());
    return self();
  }

  public int[] poolSize() {
    return poolSize.clone();
  }

  public int[] strides() {
    return strides.clone();
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
    Tensor xl = dataFormat.toChannelsLast(x);
    Tensor y = max ? ops().maxPool(xl, poolSize, strides, padding)
        : ops().averagePool(xl, poolSize, strides, padding);
    return dataFormat.fromChannelsLast(y);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, inputForm());
    int[] out = dataFormat.toChannelsLast(inputShape);
    int[] in = out.clone();
    for (int i = 0; i < rank; i++) {
      out[i] = ConvUtils.outputLength(in[i], poolSize[i], strides[i], padding, 1);
      if (out[i] == 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + "): input "
            + shapeString(inputShape) + " is smaller than pool_size "
            + java.util.Arrays.toString(poolSize) + " with padding 'valid'");
      }
    }
    return dataFormat.fromChannelsLast(out);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("pool_size", Config.shapeList(poolSize));
    m.put("padding", padding);
    m.put("strides", Config.shapeList(strides));
    m.put("data_format", dataFormat.kerasName());
    return m;
  }
}
