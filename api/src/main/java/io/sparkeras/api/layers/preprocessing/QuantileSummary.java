package io.sparkeras.api.layers.preprocessing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The adapt state of {@link Discretization}: Keras's quantile summary
 * ({@code discretization.py}'s {@code summarize}, {@code merge_summaries},
 * {@code compress_summary}), in float32 like Keras. Values are buffered in chunks; each full
 * chunk is summarised (about {@code 1/epsilon} weighted points) and merged into the running
 * summary, which is what Keras does with each batch of a {@code tf.data} dataset. In memory the
 * whole array is one chunk, as in Keras's {@code adapt(array)}; over Spark each partition
 * summarises chunks of {@value #SPARK_CHUNK} values and the partitions' summaries are merged.
 *
 * <p>Error: each compression interpolates the cumulative weights at steps of {@code epsilon},
 * so a boundary is within about {@code epsilon} of its quantile's rank per merge level; the
 * tests measure the rank error of merged summaries against exact quantiles.
 *
 * <pre>{@code
 * QuantileSummary s = new QuantileSummary(0.01, Integer.MAX_VALUE);
 * s.update(sample);
 * double[] boundaries = s.binBoundaries(4);   // 3 boundaries: 4 bins
 * }</pre>
 */
final class QuantileSummary implements AdaptState {
  /** Values per chunk when adapting over Spark (1 MiB of floats per feature and task). */
  static final int SPARK_CHUNK = 1 << 18;

  private final double epsilon;
  private final int chunk;
  private float[] buffer = new float[64];
  private int buffered;
  private float[] values = new float[0];
  private float[] weights = new float[0];

  QuantileSummary(double epsilon, int chunk) {
    this.epsilon = epsilon;
    this.chunk = chunk;
  }

  double epsilon() {
    return epsilon;
  }

  @Override
  public void update(HostValue sample) {
    for (int e = 0; e < sample.count(); e++) {
      if (sample.isMissing(e)) {
        continue;
      }
      if (buffered == buffer.length) {
        if (buffered >= chunk) {
          flush();
        } else {
          buffer = Arrays.copyOf(buffer, (int) Math.min(chunk, 2L * buffer.length));
        }
      }
      buffer[buffered++] = (float) sample.getNumber(e);
    }
  }

  /** Summarises the buffered values into the running summary. */
  void flush() {
    if (buffered == 0) {
      return;
    }
    float[][] s = summarize(Arrays.copyOf(buffer, buffered), epsilon);
    buffered = 0;
    float[][] merged = merge(s[0], s[1], values, weights, epsilon);
    values = merged[0];
    weights = merged[1];
  }

  @Override
  public void merge(AdaptState other) {
    QuantileSummary o = (QuantileSummary) other;
    flush();
    o.flush();
    float[][] merged = merge(o.values, o.weights, values, weights, epsilon);
    values = merged[0];
    weights = merged[1];
  }

  @Override
  public void write(DataOutput out) throws IOException {
    flush();
    out.writeDouble(epsilon);
    out.writeInt(values.length);
    for (int i = 0; i < values.length; i++) {
      out.writeFloat(values[i]);
      out.writeFloat(weights[i]);
    }
  }

  static QuantileSummary read(DataInput in, int chunk) throws IOException {
    QuantileSummary s = new QuantileSummary(in.readDouble(), chunk);
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("quantile summary: negative length " + n);
    }
    s.values = new float[n];
    s.weights = new float[n];
    for (int i = 0; i < n; i++) {
      s.values[i] = in.readFloat();
      s.weights[i] = in.readFloat();
    }
    return s;
  }

  /** Points of the summary (after a flush). */
  int size() {
    flush();
    return values.length;
  }

  /** Keras's {@code get_bin_boundaries(summary, num_bins)}. */
  double[] binBoundaries(int numBins) {
    flush();
    float[][] c = compress(values, weights, 1.0 / numBins);
    double[] b = new double[Math.max(0, c[0].length - 1)];
    for (int i = 0; i < b.length; i++) {
      b[i] = c[0][i];
    }
    return b;
  }

  /** Keras's {@code summarize(values, epsilon)}; sorts {@code v} in place. */
  static float[][] summarize(float[] v, double epsilon) {
    Arrays.sort(v);
    int elements = v.length;
    double numBuckets = 1.0 / epsilon;
    double increment = elements / numBuckets;
    double step = Math.max(increment, 1);
    int first = (int) increment;
    int by = (int) step;
    int n = first >= elements ? 0 : (elements - first + by - 1) / by;
    float[] b = new float[n];
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      b[i] = v[first + i * by];
      w[i] = (float) step;
    }
    return new float[][] {b, w};
  }

  /** Keras's {@code merge_summaries(prev, next, epsilon)}: sort the union by value, compress. */
  static float[][] merge(float[] pv, float[] pw, float[] nv, float[] nw, double epsilon) {
    int n = pv.length + nv.length;
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      float v = i < pv.length ? pv[i] : nv[i - pv.length];
      // sort key: the float's order-preserving bits, then the position (a stable sort)
      int bits = Float.floatToIntBits(v);
      bits ^= (bits >> 31) & 0x7FFFFFFF;
      order[i] = ((long) bits << 32) | i;
    }
    Arrays.sort(order);
    float[] v = new float[n];
    float[] w = new float[n];
    for (int k = 0; k < n; k++) {
      int i = (int) order[k];
      v[k] = i < pv.length ? pv[i] : nv[i - pv.length];
      w[k] = i < pv.length ? pw[i] : nw[i - pv.length];
    }
    return compress(v, w, epsilon);
  }

  /** Keras's {@code compress_summary(summary, epsilon)}. */
  static float[][] compress(float[] v, float[] w, double epsilon) {
    int m = v.length;
    if (m * epsilon < 1) {
      return new float[][] {v, w};
    }
    float[] cum = new float[m];
    float acc = 0;
    for (int i = 0; i < m; i++) {
      acc += w[i];
      cum[i] = acc;
    }
    double[] xp = new double[m];
    double[] fv = new double[m];
    double[] fc = new double[m];
    for (int i = 0; i < m; i++) {
      xp[i] = cum[i] / cum[m - 1];
      fv[i] = v[i];
      fc[i] = cum[i];
    }
    int k = (int) Math.ceil(1.0 / epsilon);
    float[] nv = new float[k];
    float[] nw = new float[k];
    double previous = 0;
    for (int i = 0; i < k; i++) {
      double p = epsilon + i * epsilon;
      nv[i] = (float) interp(p, xp, fv);
      double c = interp(p, xp, fc);
      nw[i] = (float) (c - previous);
      previous = c;
    }
    return new float[][] {nv, nw};
  }

  /** NumPy's {@code interp(x, xp, fp)} for increasing {@code xp}. */
  static double interp(double x, double[] xp, double[] fp) {
    int n = xp.length;
    if (x > xp[n - 1]) {
      return fp[n - 1];
    }
    if (x < xp[0]) {
      return fp[0];
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) { // largest j with xp[j] <= x
      int mid = (lo + hi) >>> 1;
      if (xp[mid] <= x) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    int j = xp[hi] <= x ? hi : lo;
    if (j == n - 1 || xp[j] == x) {
      return fp[j];
    }
    double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    double r = slope * (x - xp[j]) + fp[j];
    if (Double.isNaN(r)) {
      r = slope * (x - xp[j + 1]) + fp[j + 1];
      if (Double.isNaN(r) && fp[j] == fp[j + 1]) {
        r = fp[j];
      }
    }
    return r;
  }
}
