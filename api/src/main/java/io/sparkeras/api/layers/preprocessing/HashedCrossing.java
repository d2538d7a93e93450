package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * Crosses two or more categorical features with the hashing trick, Keras's
 * {@code HashedCrossing} ({@code tf.sparse.cross_hashed}): starting from TensorFlow's key
 * {@code 0xDECAFCAFFE}, each feature's value (an integer as it is, a string as its FarmHash
 * Fingerprint64) is chained with {@code FingerprintCat64}, and the result taken modulo
 * {@code num_bins}. Inputs are scalars per sample (shape {@code [1]} or {@code []}). A missing
 * value counts as 0 (integers) or the empty string.
 *
 * <pre>{@code
 * KerasTensor cross = new HashedCrossing(4096).apply(occupationIndex, zipBucket);
 * }</pre>
 */
public final class HashedCrossing extends PreprocessingLayer {
  private static final long HASH_KEY = 0xDECAFCAFFEL;
  private final int numBins;
  private OutputMode outputMode = OutputMode.INT;

  public HashedCrossing(int numBins) {
    if (numBins <= 0) {
      throw new IllegalArgumentException("HashedCrossing: num_bins: expected a positive integer, "
          + "found " + numBins);
    }
    this.numBins = numBins;
  }

  public static HashedCrossing fromConfig(Config c) {
    HashedCrossing h = new HashedCrossing(c.getInt("num_bins"));
    h.name(c.getString("name", null));
    h.outputMode(c.getString("output_mode", "int"));
    if (c.getBoolean("sparse", false)) {
      throw new IllegalArgumentException(h.who() + "sparse=True needs the TensorFlow backend");
    }
    return h;
  }

  /** "int" (default) or "one_hot". */
  public HashedCrossing outputMode(String mode) {
    this.outputMode = OutputMode.of(mode, "HashedCrossing output_mode", OutputMode.INT,
        OutputMode.ONE_HOT);
    return this;
  }

  public int numBins() {
    return numBins;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    if (kinds.size() < 2) {
      throw new IllegalArgumentException(who() + "crosses at least two inputs, found "
          + kinds.size());
    }
    for (HostValue.Kind k : kinds) {
      if (k == HostValue.Kind.FLOAT) {
        throw new IllegalArgumentException(who() + "expects integer or string inputs, found "
            + k.dtype());
      }
    }
    return outputMode.kind();
  }

  @Override
  public void build(List<int[]> inputShapes) {
    // no weights; shapes are checked by computeOutputShape
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return computeOutputShape(List.of(inputShape));
  }

  @Override
  public int[] computeOutputShape(List<int[]> shapes) {
    int[] first = shapes.get(0);
    for (int[] s : shapes) {
      if (s.length > 1 || s.length == 1 && s[0] != 1 || !java.util.Arrays.equals(s, first)) {
        throw new IllegalArgumentException(who() + "inputs must all have shape (None,) or "
            + "(None, 1), found " + shapes.stream().map(Layer::shapeString).toList());
      }
    }
    return outputMode.outputShape(first, numBins);
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    long h = HASH_KEY;
    for (HostValue in : inputs) {
      if (in.count() != 1) {
        throw new IllegalArgumentException(who() + "each input must hold one value per sample, "
            + "found " + in.count());
      }
      long v;
      if (in.kind() == HostValue.Kind.STRING) {
        v = FarmHash.fingerprint64(in.bytes(), in.start(0), in.end(0) - in.start(0));
      } else {
        v = in.getInt(0);
      }
      h = FarmHash.fingerprintCat64(h, v);
    }
    outputMode.begin(inputs[0], out, numBins);
    outputMode.put(inputs[0], out, 0, Long.remainderUnsigned(h, numBins), numBins);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("num_bins", numBins);
    m.put("output_mode", outputMode.kerasName());
    m.put("sparse", false);
    m.put("name", getName());
    m.put("dtype", outputMode == OutputMode.INT ? "int64" : "float32"); // Keras writes a string
    return m;
  }
}
