package io.sparkeras.api.layers.reshaping;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@link ZeroPadding1D}/2D/3D and {@link Cropping1D}/2D/3D share: a {@code (before, after)}
 * margin per spatial axis, added as zeros or cut off, on channels-last or channels-first inputs.
 * Keras's config forms are accepted: one integer for every side, one per axis (symmetric), or one
 * {@code [before, after]} pair per axis (for 1D the pair itself).
 */
public abstract class MarginLayer extends Layer {
  private final int rank;
  private final boolean crop;
  private final String key;
  private final int[][] margins;
  private DataFormat dataFormat = DataFormat.CHANNELS_LAST;

  protected MarginLayer(int rank, boolean crop, int[][] margins) {
    this.rank = rank;
    this.crop = crop;
    this.key = crop ? "cropping" : "padding";
    if (margins.length != rank) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " " + key + ": expected "
          + rank + " (before, after) pairs, found " + margins.length);
    }
    this.margins = new int[rank][];
    for (int i = 0; i < rank; i++) {
      if (margins[i].length != 2 || margins[i][0] < 0 || margins[i][1] < 0) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " " + key + ": expected "
            + "pairs of integers >= 0, found " + Arrays.deepToString(margins));
      }
      this.margins[i] = margins[i].clone();
    }
  }

  /** One value for every side, or one per axis (both sides alike). */
  protected static int[][] symmetric(int rank, int[] values, String owner, String key) {
    if (values.length != 1 && values.length != rank) {
      throw new IllegalArgumentException(owner + " " + key + ": expected 1 or " + rank
          + " integers, found " + Arrays.toString(values));
    }
    int[][] m = new int[rank][];
    for (int i = 0; i < rank; i++) {
      int v = values[values.length == 1 ? 0 : i];
      m[i] = new int[] {v, v};
    }
    return m;
  }

  /** Keras's value under {@code key}: an integer, a list of integers, or a list of pairs. */
  protected static int[][] margins(Config c, String key, int rank, int[][] dflt) {
    Object v = c.get(key);
    String owner = c.getString("name", "layer");
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number) {
      return symmetric(rank, new int[] {c.getInt(key)}, owner, key);
    }
    List<?> l = (List<?>) v;
    if (rank == 1 && l.size() == 2 && l.get(0) instanceof Number) {
      return new int[][] {c.getInts(key, 2)};
    }
    if (!l.isEmpty() && l.get(0) instanceof Number) {
      return symmetric(rank, c.getInts(key, rank), owner, key);
    }
    if (l.size() != rank) {
      throw new IllegalArgumentException(owner + ": config key '" + key + "' expected " + rank
          + " pairs, found " + v);
    }
    int[][] m = new int[rank][];
    for (int i = 0; i < rank; i++) {
      m[i] = new Config(owner, Map.of(key, l.get(i))).getInts(key, 2);
    }
    return m;
  }

  /** Reads the base keys and {@code data_format} (for the layers that have it). */
  protected <T extends MarginLayer> T readConfig(T layer, Config c) {
    LayerConfigs.base(layer, c);
    if (hasDataFormat()) {
      layer.setDataFormat(c.getString("data_format", null));
    }
    return layer;
  }

  /** Keras's Cropping1D has no data_format; every other one has. */
  private boolean hasDataFormat() {
    return !(crop && rank == 1);
  }

  protected final void setDataFormat(String format) {
    if (!hasDataFormat() && format != null && !format.equals("channels_last")) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " has no data_format "
          + "(Keras's works on channels-last inputs), found '" + format + "'");
    }
    this.dataFormat = DataFormat.of(format, getClass().getSimpleName());
  }

  public int[][] margins() {
    int[][] m = new int[rank][];
    for (int i = 0; i < rank; i++) {
      m[i] = margins[i].clone();
    }
    return m;
  }

  /** The first spatial axis of a full shape. */
  private int first() {
    return dataFormat == DataFormat.CHANNELS_LAST ? 1 : 2;
  }

  @Override
  public void build(int[] inputShape) {
    computeOutputShape(inputShape);
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    int f = first();
    if (crop) {
      Tensor y = x;
      for (int i = 0; i < rank; i++) {
        int n = x.dim(f + i);
        y = ops().slice(y, f + i, margins[i][0], n - margins[i][0] - margins[i][1]);
      }
      return y;
    }
    int[][] pad = new int[x.rank()][2];
    for (int i = 0; i < rank; i++) {
      pad[f + i] = margins[i].clone();
    }
    return ops().pad(x, pad, 0);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    requireRank(inputShape, rank + 1, "(None, " + rank + " spatial axes and channels)");
    int[] out = inputShape.clone();
    int f = first() - 1;
    for (int i = 0; i < rank; i++) {
      int n = inputShape[f + i];
      if (n < 0) {
        continue;
      }
      int m = margins[i][0] + margins[i][1];
      out[f + i] = crop ? n - m : n + m;
      if (out[f + i] <= 0) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
            .getSimpleName() + "): cropping " + Arrays.deepToString(margins) + " leaves nothing "
            + "of input " + shapeString(inputShape));
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    if (rank == 1) {
      m.put(key, List.of(margins[0][0], margins[0][1]));
    } else {
      List<Object> l = new ArrayList<>();
      for (int[] p : margins) {
        l.add(List.of(p[0], p[1]));
      }
      m.put(key, l);
    }
    if (hasDataFormat()) {
      m.put("data_format", dataFormat.kerasName());
    }
    return m;
  }
}
