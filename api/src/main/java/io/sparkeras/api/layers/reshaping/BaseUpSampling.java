package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.convolutional.ConvUtils;
import java.util.Map;

/**
 * What {@link UpSampling1D}, {@link UpSampling2D} and {@link UpSampling3D} share: each spatial
 * axis grows by an integer factor, every entry repeated ("nearest"); 2D also offers "bilinear"
 * (half-pixel centres, as Keras's {@code ops.image.resize}).
 */
public abstract class BaseUpSampling extends Layer {
  private final int rank;
  private final int[] size;
  private DataFormat dataFormat = DataFormat.CHANNELS_LAST;
  private String interpolation = "nearest";

  protected BaseUpSampling(int rank, int[] size) {
    this.rank = rank;
    this.size = ConvUtils.tuple(size, rank, getClass().getSimpleName(), "size");
  }

  /** Reads the base keys and, where the layer has it, {@code data_format}. */
  protected <T extends BaseUpSampling> T readConfig(T layer, Config c) {
    LayerConfigs.base(layer, c);
    if (rank > 1) {
      layer.setDataFormat(c.getString("data_format", null));
    }
    return layer;
  }

  protected final void setDataFormat(String format) {
    this.dataFormat = DataFormat.of(format, getClass().getSimpleName());
  }

  protected final void setInterpolation(String interpolation) {
    String i = interpolation == null ? "nearest" : interpolation.toLowerCase(java.util.Locale.ROOT);
    if (!i.equals("nearest") && !i.equals("bilinear")) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " interpolation: expected "
          + "'nearest' or 'bilinear', found '" + interpolation + "' (Keras's bicubic and lanczos "
          + "kernels are not supported)");
    }
    this.interpolation = i;
  }

  protected String interpolation() {
    return interpolation;
  }

  public int[] size() {
    return size.clone();
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    Tensor y = dataFormat.toChannelsLast(x);
    if (interpolation.equals("bilinear")) {
      y = ops().resize(y, y.dim(1) * size[0], y.dim(2) * size[1], "bilinear");
    } else {
      for (int i = 0; i < rank; i++) {
        y = ops().repeat(y, size[i], i + 1);
      }
    }
    return dataFormat.fromChannelsLast(y);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, "(None, " + rank + " spatial axes and channels)");
    int[] out = dataFormat.toChannelsLast(inputShape);
    for (int i = 0; i < rank; i++) {
      out[i] = out[i] < 0 ? -1 : out[i] * size[i];
    }
    return dataFormat.fromChannelsLast(out);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("size", rank == 1 ? (Object) size[0] : Config.shapeList(size));
    if (rank > 1) {
      m.put("data_format", dataFormat.kerasName());
    }
    return m;
  }
}
