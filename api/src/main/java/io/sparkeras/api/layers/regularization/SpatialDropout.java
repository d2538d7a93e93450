package io.sparkeras.api.layers.regularization;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;
import java.util.Map;

/**
 * The dropout behind {@link SpatialDropout1D}, {@link SpatialDropout2D} and
 * {@link SpatialDropout3D}, as Keras's {@code BaseSpatialDropout}: whole feature maps are dropped,
 * one draw per sample and channel shared over the spatial axes.
 */
public abstract class SpatialDropout extends Dropout {
  private final int rank;
  private final DataFormat dataFormat;

  protected SpatialDropout(int rank, double rate, Long seed, DataFormat dataFormat) {
    super(rate, seed);
    this.rank = rank;
    this.dataFormat = dataFormat;
  }

  /** Reads {@code name} and {@code trainable}; the rest is read by the constructors. */
  protected static <T extends SpatialDropout> T readBase(T layer, Config c) {
    layer.name(c.getString("name", null));
    layer.trainable(c.getBoolean("trainable", true));
    return layer;
  }

  public DataFormat dataFormat() {
    return dataFormat;
  }

  @Override
  protected int[] maskShape(int[] inputShape) {
    if (inputShape.length != rank + 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass().getSimpleName()
          + ") expects inputs of rank " + (rank + 2) + " (batch included), found shape "
          + java.util.Arrays.toString(inputShape));
    }
    int[] s = new int[inputShape.length];
    java.util.Arrays.fill(s, 1);
    s[0] = inputShape[0];
    int c = dataFormat.channelAxis(inputShape.length);
    s[c] = inputShape[c];
    return s;
  }

  @Override
  public Dropout noiseShape(int... noiseShape) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " sets its own noise "
        + "shape (one draw per sample and channel)");
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, rank == 1 ? "(None, steps, channels)"
        : "(None, " + rank + " spatial axes and channels)");
    return inputShape.clone();
  }

  /** Keras's keys exactly: rate, seed, name, dtype (and data_format for 2D and 3D). */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("rate", rate());
    m.put("seed", seed());
    m.put("name", getName());
    m.put("dtype", dtypePolicy());
    if (rank > 1) {
      m.put("data_format", dataFormat.kerasName());
    }
    return m;
  }
}
