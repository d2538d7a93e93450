package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Buckets numbers by ranges, Keras's {@code Discretization}: {@code bin_boundaries [b0, b1, ...]}
 * make the bins {@code (-inf, b0), [b0, b1), ..., [bn, inf)} (NumPy's {@code digitize});
 * {@code num_bins} learns the boundaries with {@code adapt} from Keras's quantile summary
 * (error tolerance {@code epsilon}, default 0.01; see {@link QuantileSummary}). Output "int"
 * (default), "one_hot", "multi_hot" or "count". Adapt skips missing values (nulls).
 *
 * <pre>{@code
 * new Discretization(new double[] {0, 1, 2});       // -1.5 -> 0, 1.0 -> 2, 3.4 -> 3
 * Discretization d = new Discretization(16);        // num_bins: adapt learns 15 boundaries
 * d.adapt(new float[] {...});
 * }</pre>
 */
public final class Discretization extends PreprocessingLayer {
  private double[] binBoundaries;
  private final Integer numBins;
  private double epsilon = 0.01;
  private OutputMode outputMode = OutputMode.INT;

  /** Fixed boundaries. */
  public Discretization(double[] binBoundaries) {
    this.binBoundaries = checkBoundaries(binBoundaries.clone());
    this.numBins = null;
  }

  /** {@code numBins} bins learned by {@link #adapt}. */
  public Discretization(int numBins) {
    if (numBins < 0) {
      throw new IllegalArgumentException("Discretization: num_bins: expected >= 0, found "
          + numBins);
    }
    this.numBins = numBins;
  }

  private Discretization(Config c) {
    super(c);
    Object b = c.get("bin_boundaries");
    numBins = c.get("num_bins") == null ? null : c.getInt("num_bins");
    if (b == null && numBins == null) {
      throw new IllegalArgumentException("Discretization: set either num_bins or bin_boundaries");
    }
    if (b != null) {
      List<?> l = (List<?>) b;
      double[] d = new double[l.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = ((Number) l.get(i)).doubleValue();
      }
      binBoundaries = checkBoundaries(d);
    }
    epsilon = c.getDouble("epsilon", 0.01);
    outputMode(c.getString("output_mode", "int"));
    if (c.getBoolean("sparse", false)) {
      throw new IllegalArgumentException(who() + "sparse=True needs the TensorFlow backend");
    }
  }

  public static Discretization fromConfig(Config c) {
    return new Discretization(c);
  }

  private static double[] checkBoundaries(double[] b) {
    for (int i = 1; i < b.length; i++) {
      if (!(b[i] >= b[i - 1])) {
        throw new IllegalArgumentException("Discretization: bin_boundaries must be sorted, found "
            + java.util.Arrays.toString(b));
      }
    }
    return b;
  }

  /** Keras's {@code epsilon} for adapt (default 0.01). */
  public Discretization epsilon(double eps) {
    if (!(eps > 0 && eps < 1)) {
      throw new IllegalArgumentException(who() + "epsilon: expected in (0, 1), found " + eps);
    }
    this.epsilon = eps;
    return this;
  }

  /** "int" (default), "one_hot", "multi_hot" or "count". */
  public Discretization outputMode(String mode) {
    this.outputMode = OutputMode.of(mode, "Discretization output_mode", OutputMode.INT,
        OutputMode.ONE_HOT, OutputMode.MULTI_HOT, OutputMode.COUNT);
    return this;
  }

  /** The boundaries (given or learned), or null before adapt. */
  public double[] binBoundaries() {
    return binBoundaries == null ? null : binBoundaries.clone();
  }

  /** Keras's {@code num_bins}, or null when the boundaries were given. */
  public Integer numBins() {
    return numBins;
  }

  /** Number of bins the output can hold: boundaries + 1 (num_bins before adapt). */
  public int depth() {
    return binBoundaries != null ? binBoundaries.length + 1 : numBins;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.FLOAT, HostValue.Kind.INT);
    return outputMode.kind();
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return outputMode.outputShape(inputShape, depth());
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    if (binBoundaries == null) {
      throw new IllegalStateException(who() + "has no bin boundaries: pass them or call adapt");
    }
    HostValue in = inputs[0];
    int depth = binBoundaries.length + 1;
    outputMode.begin(in, out, depth);
    for (int e = 0; e < in.count(); e++) {
      outputMode.put(in, out, e, digitize(in.getNumber(e)), depth);
    }
  }

  /** Number of boundaries {@code <= x} (NaN: all of them, like NumPy). */
  int digitize(double x) {
    double[] b = binBoundaries;
    if (Double.isNaN(x)) {
      return b.length;
    }
    int lo = 0;
    int hi = b.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (b[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean isAdaptable() {
    return numBins != null;
  }

  @Override
  public AdaptState newAdaptState() {
    requireNumBins();
    return new QuantileSummary(epsilon, Integer.MAX_VALUE);
  }

  /** A state for one Spark partition: chunks of {@link QuantileSummary#SPARK_CHUNK} values. */
  public AdaptState newChunkedAdaptState() {
    requireNumBins();
    return new QuantileSummary(epsilon, QuantileSummary.SPARK_CHUNK);
  }

  @Override
  public AdaptState readAdaptState(DataInput in) throws IOException {
    requireNumBins();
    return QuantileSummary.read(in, QuantileSummary.SPARK_CHUNK);
  }

  private void requireNumBins() {
    if (numBins == null) {
      throw new IllegalStateException(who() + "was given bin_boundaries; adapt needs num_bins");
    }
  }

  @Override
  public void finishAdapt(AdaptState state) {
    requireNumBins();
    binBoundaries = ((QuantileSummary) state).binBoundaries(numBins);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = io.sparkeras.api.config.Config.newMap();
    List<Object> b = null;
    if (binBoundaries != null) {
      b = new ArrayList<>();
      for (double x : binBoundaries) {
        b.add(x);
      }
    }
    m.put("bin_boundaries", b);
    m.put("num_bins", numBins);
    m.put("epsilon", epsilon);
    m.put("output_mode", outputMode.kerasName());
    m.put("sparse", false);
    m.put("name", getName());
    m.put("dtype", outputMode == OutputMode.INT ? "int64" : "float32"); // Keras writes a string
    return m;
  }
}
