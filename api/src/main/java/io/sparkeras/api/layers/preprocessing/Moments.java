package io.sparkeras.api.layers.preprocessing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The adapt state of {@link Normalization}: per kept position, the count and the sums of the
 * values and of their squares, each a double-double (about 106 bits, with error-free additions),
 * so the mean and population variance come out the same, rounded to float32, whatever order or
 * split of partitions the values arrived in. The squares of float32 values are exact in a
 * double. Missing values are skipped.
 *
 * <pre>{@code
 * Moments m = new Moments(new int[] {-1});
 * m.update(sample);                          // sample of shape [d]: d positions
 * float[] mean = m.mean(), variance = m.variance();
 * }</pre>
 */
final class Moments implements AdaptState {
  private final int[] axis;
  private int[] sampleShape;
  private int[] keepShape;
  private int[] positionOf;
  private long[] n;
  private double[] sumHi;
  private double[] sumLo;
  private double[] sqHi;
  private double[] sqLo;

  /** @param axis Keras's kept axes, counted with the batch axis (so -1 is the last). */
  Moments(int[] axis) {
    this.axis = axis.clone();
  }

  /** Kept axes of a sample of {@code rank} dimensions, as sample-axis indices, sorted. */
  static int[] keptAxes(int[] axis, int rank, String who) {
    int ndim = rank + 1;
    int[] keep = new int[axis.length];
    for (int i = 0; i < axis.length; i++) {
      int a = axis[i] < 0 ? axis[i] + ndim : axis[i];
      if (a <= 0 || a >= ndim) {
        throw new IllegalArgumentException(who + "axis " + axis[i] + " is outside the sample "
            + "axes [1, " + ndim + ") (or [-" + rank + ", -1]) of an input of rank " + ndim);
      }
      keep[i] = a - 1;
    }
    Arrays.sort(keep);
    return keep;
  }

  /** Element index to kept position for a sample shape. */
  static int[] positions(int[] shape, int[] keep) {
    int count = 1;
    for (int d : shape) {
      count *= d;
    }
    int[] pos = new int[count];
    int[] idx = new int[shape.length];
    for (int e = 0; e < count; e++) {
      int p = 0;
      for (int k : keep) {
        p = p * shape[k] + idx[k];
      }
      pos[e] = p;
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return pos;
  }

  private void init(int[] shape) {
    sampleShape = shape.clone();
    int[] keep = keptAxes(axis, shape.length, "Normalization: ");
    keepShape = new int[keep.length];
    int size = 1;
    for (int i = 0; i < keep.length; i++) {
      keepShape[i] = shape[keep[i]];
      size *= keepShape[i];
    }
    positionOf = positions(shape, keep);
    n = new long[size];
    sumHi = new double[size];
    sumLo = new double[size];
    sqHi = new double[size];
    sqLo = new double[size];
  }

  /** The sample shape seen, or null before any sample. */
  int[] sampleShape() {
    return sampleShape == null ? null : sampleShape.clone();
  }

  @Override
  public void update(HostValue sample) {
    if (sampleShape == null) {
      init(sample.shape());
    } else if (sample.count() != positionOf.length || sample.rank() != sampleShape.length) {
      throw new IllegalArgumentException("Normalization adapt: every sample must have shape "
          + Arrays.toString(sampleShape) + ", found " + Arrays.toString(sample.shape()));
    }
    for (int e = 0; e < sample.count(); e++) {
      if (sample.isMissing(e)) {
        continue;
      }
      double x = sample.getNumber(e);
      int p = positionOf[e];
      n[p]++;
      add(sumHi, sumLo, p, x, 0);
      add(sqHi, sqLo, p, x * x, 0);
    }
  }

  /** Adds {@code (hi, lo)} to the double-double at {@code p} (TwoSum, then renormalise). */
  private static void add(double[] his, double[] los, int p, double hi, double lo) {
    double a = his[p];
    double s = a + hi;
    double bb = s - a;
    double err = (a - (s - bb)) + (hi - bb);
    double t = los[p] + lo + err;
    double r = s + t;
    his[p] = r;
    los[p] = t - (r - s);
  }

  @Override
  public void merge(AdaptState other) {
    Moments o = (Moments) other;
    if (o.sampleShape == null) {
      return;
    }
    if (sampleShape == null) {
      init(o.sampleShape);
    } else if (!Arrays.equals(sampleShape, o.sampleShape)) {
      throw new IllegalArgumentException("Normalization adapt: samples of shape "
          + Arrays.toString(sampleShape) + " and " + Arrays.toString(o.sampleShape));
    }
    for (int p = 0; p < n.length; p++) {
      n[p] += o.n[p];
      add(sumHi, sumLo, p, o.sumHi[p], o.sumLo[p]);
      add(sqHi, sqLo, p, o.sqHi[p], o.sqLo[p]);
    }
  }

  /** Per-position mean, rounded to float32. */
  float[] mean() {
    float[] m = new float[n.length];
    for (int p = 0; p < m.length; p++) {
      double hi = sumHi[p] / n[p];
      m[p] = (float) (hi + (Math.fma(-hi, n[p], sumHi[p]) + sumLo[p]) / n[p]);
    }
    return m;
  }

  /** Per-position population variance {@code E[x^2] - E[x]^2}, rounded to float32. */
  float[] variance() {
    float[] v = new float[n.length];
    for (int p = 0; p < v.length; p++) {
      // mean of squares minus squared mean, in double-double to keep the difference exact
      double mHi = sumHi[p] / n[p];
      double mLo = (Math.fma(-mHi, n[p], sumHi[p]) + sumLo[p]) / n[p];
      double sqMean = sqHi[p] / n[p];
      double sqMeanLo = (Math.fma(-sqMean, n[p], sqHi[p]) + sqLo[p]) / n[p];
      double m2 = mHi * mHi;
      double m2Lo = Math.fma(mHi, mHi, -m2) + 2 * mHi * mLo;
      double var = (sqMean - m2) + (sqMeanLo - m2Lo);
      v[p] = (float) Math.max(0, var);
    }
    return v;
  }

  long count() {
    long c = 0;
    for (long x : n) {
      c = Math.max(c, x);
    }
    return c;
  }

  int[] keepShape() {
    return keepShape.clone();
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeInt(axis.length);
    for (int a : axis) {
      out.writeInt(a);
    }
    if (sampleShape == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(sampleShape.length);
    for (int d : sampleShape) {
      out.writeInt(d);
    }
    for (int p = 0; p < n.length; p++) {
      out.writeLong(n[p]);
      out.writeDouble(sumHi[p]);
      out.writeDouble(sumLo[p]);
      out.writeDouble(sqHi[p]);
      out.writeDouble(sqLo[p]);
    }
  }

  static Moments read(DataInput in) throws IOException {
    int[] axis = new int[in.readInt()];
    for (int i = 0; i < axis.length; i++) {
      axis[i] = in.readInt();
    }
    Moments m = new Moments(axis);
    int rank = in.readInt();
    if (rank < 0) {
      return m;
    }
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = in.readInt();
    }
    m.init(shape);
    for (int p = 0; p < m.n.length; p++) {
      m.n[p] = in.readLong();
      m.sumHi[p] = in.readDouble();
      m.sumLo[p] = in.readDouble();
      m.sqHi[p] = in.readDouble();
      m.sqLo[p] = in.readDouble();
    }
    return m;
  }
}
