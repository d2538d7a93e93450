package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hashes strings or integers into {@code num_bins} bins, Keras's {@code Hashing}: FarmHash
 * Fingerprint64 without a salt, SipHash-2-4 keyed by the salt with one (a single integer
 * {@code s} means {@code [s, s]}), of the value's UTF-8 bytes; integers are hashed as their
 * decimal string and floats truncated to integers first, exactly as Keras's
 * {@code tf.as_string}. With a {@code mask_value}, the mask goes to bin 0 and the rest to bins
 * {@code 1..num_bins-1}. A missing value is hashed as the empty string (the mask bin when
 * {@code mask_value} is {@code ""}).
 *
 * <pre>{@code
 * new Hashing(3);                              // "A" -> 1, "B" -> 0, "C" -> 1 (Keras's docs)
 * new Hashing(1024).salt(133, 137).outputMode("one_hot");
 * }</pre>
 */
public final class Hashing extends PreprocessingLayer {
  private final int numBins;
  private Object maskValue;
  private long[] salt;
  private OutputMode outputMode = OutputMode.INT;

  public Hashing(int numBins) {
    if (numBins <= 0) {
      throw new IllegalArgumentException("Hashing: num_bins: expected a positive integer, found "
          + numBins);
    }
    this.numBins = numBins;
  }

  private Hashing(Config c) {
    super(c);
    numBins = c.getInt("num_bins");
    if (numBins <= 0) {
      throw new IllegalArgumentException("Hashing: num_bins: expected a positive integer, found "
          + numBins);
    }
    maskValue = c.get("mask_value");
    Object s = c.get("salt");
    if (s instanceof Number) {
      salt(((Number) s).longValue());
    } else if (s instanceof List) {
      List<?> l = (List<?>) s;
      if (l.size() != 2) {
        throw new IllegalArgumentException("Hashing: salt: expected one integer or two, found "
            + s);
      }
      salt(((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue());
    } else if (s != null) {
      throw new IllegalArgumentException("Hashing: salt: expected one integer or two, found "
          + s);
    }
    outputMode(c.getString("output_mode", "int"));
    if (c.getBoolean("sparse", false)) {
      throw new IllegalArgumentException(who() + "sparse=True needs the TensorFlow backend");
    }
  }

  public static Hashing fromConfig(Config c) {
    return new Hashing(c);
  }

  /** Keras's {@code mask_value}: a string or an integer mapped to bin 0. */
  public Hashing maskValue(Object value) {
    this.maskValue = value;
    return this;
  }

  /** SipHash with key {@code [s, s]} (Keras's {@code salt=s}). */
  public Hashing salt(long s) {
    return salt(s, s);
  }

  /** SipHash with key {@code [k0, k1]} (Keras's {@code salt=[k0, k1]}). */
  public Hashing salt(long k0, long k1) {
    this.salt = new long[] {k0, k1};
    return this;
  }

  /** "int" (default), "one_hot", "multi_hot" or "count". */
  public Hashing outputMode(String mode) {
    this.outputMode = OutputMode.of(mode, "Hashing output_mode", OutputMode.INT,
        OutputMode.ONE_HOT, OutputMode.MULTI_HOT, OutputMode.COUNT);
    return this;
  }

  public int numBins() {
    return numBins;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.STRING, HostValue.Kind.INT, HostValue.Kind.FLOAT);
    return outputMode.kind();
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return outputMode.outputShape(inputShape, numBins);
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    HostValue in = inputs[0];
    outputMode.begin(in, out, numBins);
    boolean masked = maskValue != null && numBins > 1;
    long bins = masked ? numBins - 1 : numBins;
    for (int e = 0; e < in.count(); e++) {
      byte[] b;
      int off;
      int len;
      if (in.kind() == HostValue.Kind.STRING) {
        b = in.bytes();
        off = in.start(e);
        len = in.end(e) - off;
      } else {
        long v = in.kind() == HostValue.Kind.INT ? in.getInt(e) : (long) in.getFloat(e);
        b = context.scratch(20);
        off = 0;
        len = in.isMissing(e) ? 0 : Decimal.write(v, b);
      }
      long bin;
      if (masked && isMask(in, e, b, off, len)) {
        bin = 0;
      } else {
        long h = salt == null ? FarmHash.fingerprint64(b, off, len)
            : SipHash.hash24(salt[0], salt[1], b, off, len);
        bin = Long.remainderUnsigned(h, bins) + (masked ? 1 : 0);
      }
      outputMode.put(in, out, e, bin, numBins);
    }
  }

  private boolean isMask(HostValue in, int e, byte[] b, int off, int len) {
    if (in.kind() == HostValue.Kind.STRING) {
      if (!(maskValue instanceof String)) {
        return false;
      }
      String m = (String) maskValue;
      if (m.length() > len) {
        return false;
      }
      // compare without allocating: mask values are short ASCII in practice; decode if not
      for (int i = 0; i < m.length(); i++) {
        if (m.charAt(i) >= 0x80) {
          return in.getString(e).equals(m);
        }
      }
      if (m.length() != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (b[off + i] != m.charAt(i)) {
          return false;
        }
      }
      return true;
    }
    if (!(maskValue instanceof Number) || in.isMissing(e)) {
      return false;
    }
    long v = in.kind() == HostValue.Kind.INT ? in.getInt(e) : (long) in.getFloat(e);
    return v == ((Number) maskValue).longValue();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("dtype", dtypePolicy(outputMode == OutputMode.INT ? "int64" : "float32"));
    m.put("num_bins", numBins);
    List<Object> s = null;
    if (salt != null) {
      s = new ArrayList<>();
      s.add(salt[0]);
      s.add(salt[1]);
    }
    m.put("salt", s);
    m.put("mask_value", maskValue);
    m.put("output_mode", outputMode.kerasName());
    m.put("sparse", false);
    return m;
  }
}
