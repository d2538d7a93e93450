package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feature-wise standardisation, Keras's {@code Normalization}:
 * {@code (x - mean) / max(sqrt(variance), 1e-7)} (or the inverse with {@code invert}), in float32
 * like Keras. The mean and variance are given ({@code mean=}, {@code variance=}, kept in the
 * config) or learned by {@code adapt} per position of the kept {@code axis} (default -1, the
 * last; counted with the batch axis as in Keras; an empty axis list computes one mean and
 * variance over everything). Adapt computes the population variance with error-free sums, so
 * adapting over a DataFrame gives the same float32 values as over the same rows in memory.
 *
 * <pre>{@code
 * Normalization norm = new Normalization();
 * norm.adapt(new float[][] {{1, 10}, {3, 30}});      // mean [2, 20], variance [1, 100]
 * new Normalization().mean(2.0).variance(1.0);       // fixed, scalar broadcast
 * }</pre>
 */
public final class Normalization extends PreprocessingLayer {
  private static final float EPSILON = 1e-7f;
  private int[] axis = {-1};
  private float[] inputMean;
  private float[] inputVariance;
  private Object meanConfig;
  private Object varianceConfig;
  private boolean invert;
  private int[] keepShape;
  private int[] positionOf;
  private float[] mean;
  private float[] variance;
  private long count;

  public Normalization() {}

  private Normalization(Config c) {
    super(c);
    Object a = c.get("axis");
    if (a == null) {
      axis = new int[0];
    } else if (a instanceof Number) {
      axis = new int[] {((Number) a).intValue()};
    } else {
      List<?> l = (List<?>) a;
      axis = new int[l.size()];
      for (int i = 0; i < axis.length; i++) {
        axis[i] = ((Number) l.get(i)).intValue();
      }
    }
    invert = c.getBoolean("invert", false);
    Object m = c.get("mean");
    Object v = c.get("variance");
    if ((m == null) != (v == null)) {
      throw new IllegalArgumentException("Normalization: set both mean and variance, or neither");
    }
    if (m != null) {
      inputMean = ConfigValues.floats(m, who() + "mean");
      inputVariance = ConfigValues.floats(v, who() + "variance");
      meanConfig = m;
      varianceConfig = v;
    }
  }

  public static Normalization fromConfig(Config c) {
    return new Normalization(c);
  }

  /** Keras's {@code axis}: the axes kept (counted with the batch axis); none = one statistic. */
  public Normalization axis(int... keptAxes) {
    requireUnbuilt("axis");
    this.axis = keptAxes.clone();
    return this;
  }

  /** A fixed mean (a scalar or one value per kept position); needs {@link #variance}. */
  public Normalization mean(double... values) {
    requireUnbuilt("mean");
    inputMean = ConfigValues.floats(ConfigValues.list(values), "mean");
    meanConfig = ConfigValues.scalarOrList(values);
    return this;
  }

  /** A fixed variance (a scalar or one value per kept position); needs {@link #mean}. */
  public Normalization variance(double... values) {
    requireUnbuilt("variance");
    inputVariance = ConfigValues.floats(ConfigValues.list(values), "variance");
    varianceConfig = ConfigValues.scalarOrList(values);
    return this;
  }

  /** Keras's {@code invert}: {@code mean + x * std}. */
  public Normalization invert(boolean inv) {
    this.invert = inv;
    return this;
  }

  private void requireUnbuilt(String what) {
    if (isBuilt()) {
      throw new IllegalStateException(who() + "set " + what + " before the layer is used");
    }
  }

  @Override
  public void build(int[] inputShape) {
    int[] keep = Moments.keptAxes(axis, inputShape.length, who());
    keepShape = new int[keep.length];
    int size = 1;
    for (int i = 0; i < keep.length; i++) {
      keepShape[i] = inputShape[keep[i]];
      if (keepShape[i] < 0) {
        throw new IllegalArgumentException(who() + "kept axis " + axis[i] + " has an unknown "
            + "size in input shape " + shapeString(inputShape));
      }
      size *= keepShape[i];
    }
    boolean known = true;
    for (int d : inputShape) {
      known &= d > 0;
    }
    positionOf = known ? Moments.positions(inputShape, keep) : null;
    if (inputMean != null) {
      if (inputVariance == null) {
        throw new IllegalArgumentException(who() + "set both mean and variance, or neither");
      }
      mean = broadcast(inputMean, size, "mean");
      variance = broadcast(inputVariance, size, "variance");
    } else if (mean == null) {
      mean = new float[size];
      variance = new float[size];
      java.util.Arrays.fill(variance, 1f);
    }
  }

  private float[] broadcast(float[] v, int size, String what) {
    if (v.length == size) {
      return v.clone();
    }
    if (v.length == 1) {
      float[] out = new float[size];
      java.util.Arrays.fill(out, v[0]);
      return out;
    }
    throw new IllegalArgumentException(who() + what + " has " + v.length + " values, the kept "
        + "axes hold " + size);
  }

  /** The mean per kept position (learned or given). */
  public float[] mean() {
    return mean == null ? null : mean.clone();
  }

  /** The variance per kept position (learned or given). */
  public float[] variance() {
    return variance == null ? null : variance.clone();
  }

  /** The shape of the mean and variance (the kept axes' sizes); null before build. */
  public int[] statisticsShape() {
    return keepShape == null ? null : keepShape.clone();
  }

  /** Sets the learned statistics, as loading a saved model does (Keras's mean/variance/count). */
  public void setStatistics(float[] newMean, float[] newVariance, long newCount) {
    if (inputMean != null) {
      throw new IllegalStateException(who() + "was given its mean and variance in the config");
    }
    if (mean == null || newMean.length != mean.length || newVariance.length != mean.length) {
      throw new IllegalArgumentException(who() + "statistics of " + newMean.length + " values "
          + "for " + (mean == null ? "an unbuilt layer" : mean.length + " kept positions"));
    }
    mean = newMean.clone();
    variance = newVariance.clone();
    count = newCount;
  }

  /** Keras's {@code count} variable (kept at 0 by Keras's own adapt). */
  public long count() {
    return count;
  }

  /** Whether the statistics come from adapt or a saved model (not the config). */
  public boolean hasLearnedStatistics() {
    return inputMean == null;
  }

  /**
   * Keras's variables of an adapted Normalization: {@code "0"} mean and {@code "1"} variance
   * (the kept axes' shape), {@code "2"} count (int64 scalar). None when the mean and variance
   * are in the config.
   */
  @Override
  public Map<String, StoredArray> saveOwnVariables() {
    if (inputMean != null || mean == null) {
      return Map.of();
    }
    Map<String, StoredArray> m = new java.util.LinkedHashMap<>();
    m.put("0", StoredArray.floats(keepShape, mean));
    m.put("1", StoredArray.floats(keepShape, variance));
    m.put("2", StoredArray.ints(new int[0], new long[] {count}));
    return m;
  }

  @Override
  public void loadOwnVariables(Map<String, StoredArray> store) {
    if (inputMean != null || store.isEmpty()) {
      return;
    }
    StoredArray m = store.get("0");
    StoredArray v = store.get("1");
    StoredArray c = store.get("2");
    if (m == null || v == null) {
      throw new IllegalArgumentException(who() + "saved state needs variables 0 (mean) and 1 "
          + "(variance), found " + store.keySet());
    }
    if (!isBuilt()) {
      throw new IllegalStateException(who() + "is not built: it needs its input shape before "
          + "its state is loaded");
    }
    setStatistics(m.asFloats(), v.asFloats(), c == null ? 0 : c.isInt() ? c.ints()[0]
        : (long) c.floats()[0]);
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.FLOAT, HostValue.Kind.INT);
    return HostValue.Kind.FLOAT;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    HostValue in = inputs[0];
    if (mean == null) {
      throw new IllegalStateException(who() + "is not built: adapt it or give mean and variance");
    }
    int n = in.count();
    if (positionOf == null || positionOf.length != n) {
      throw new IllegalArgumentException(who() + "expects samples of " + (positionOf == null
          ? "a known shape" : positionOf.length + " values") + ", found " + n);
    }
    out.resizeLike(in, false, -1);
    float[] o = out.floats();
    for (int e = 0; e < n; e++) {
      int p = positionOf[e];
      float x = in.kind() == HostValue.Kind.FLOAT ? in.getFloat(e) : (float) in.getInt(e);
      float std = Math.max((float) Math.sqrt(variance[p]), EPSILON);
      o[e] = invert ? mean[p] + x * std : (x - mean[p]) / std;
    }
  }

  @Override
  public boolean isAdaptable() {
    return inputMean == null;
  }

  @Override
  public AdaptState newAdaptState() {
    requireAdaptable();
    return new Moments(axis);
  }

  @Override
  public AdaptState readAdaptState(DataInput in) throws IOException {
    requireAdaptable();
    return Moments.read(in);
  }

  private void requireAdaptable() {
    if (inputMean != null) {
      throw new IllegalStateException(who() + "was given mean and variance; it cannot adapt");
    }
  }

  @Override
  public void finishAdapt(AdaptState state) {
    requireAdaptable();
    Moments m = (Moments) state;
    int[] shape = m.sampleShape();
    if (shape == null) {
      throw new IllegalArgumentException(who() + "adapt saw no values");
    }
    if (!isBuilt()) {
      ensureBuilt(List.of(shape));
    } else if (!java.util.Arrays.equals(m.keepShape(), keepShape)) {
      throw new IllegalArgumentException(who() + "was built for statistics of shape "
          + java.util.Arrays.toString(keepShape) + ", adapt data gives "
          + java.util.Arrays.toString(m.keepShape()));
    }
    mean = m.mean();
    variance = m.variance();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    List<Object> a = new ArrayList<>();
    for (int x : axis) {
      a.add(x);
    }
    m.put("axis", a);
    m.put("invert", invert);
    m.put("mean", meanConfig);
    m.put("variance", varianceConfig);
    return m;
  }
}
