package io.sparkeras.api.layers.preprocessing;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a categorical preprocessing layer writes the indices it found, Keras's {@code output_mode}
 * ({@code numerical_utils.encode_categorical_inputs}): the indices themselves ({@link #INT}), or
 * a float vector of {@code depth} slots: one per element ({@link #ONE_HOT}: a last dimension of
 * 1 is replaced, any other gets a new one), one per sample ({@link #MULTI_HOT}: 1 where an index
 * occurs, {@link #COUNT}: how often, {@link #TF_IDF}: how often times the slot's weight).
 *
 * <pre>{@code
 * OutputMode m = OutputMode.of("one_hot", "output_mode of StringLookup");
 * int[] shape = m.outputShape(new int[] {1}, 5);      // [5]
 * }</pre>
 */
public enum OutputMode {
  INT, ONE_HOT, MULTI_HOT, COUNT, TF_IDF;

  /** Keras's name of the mode ({@code "one_hot"}). */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code name} (Keras's names, also the deprecated {@code "binary"} and
   * {@code "tf-idf"}), checked against the modes a layer allows.
   */
  public static OutputMode of(String name, String what, OutputMode... allowed) {
    String n = name == null ? "" : name;
    if (n.equals("binary")) {
      n = "multi_hot";
    } else if (n.equals("tf-idf")) {
      n = "tf_idf";
    }
    for (OutputMode m : allowed) {
      if (m.kerasName().equals(n)) {
        return m;
      }
    }
    StringBuilder b = new StringBuilder();
    for (OutputMode m : allowed) {
      b.append(b.length() == 0 ? "" : ", ").append('"').append(m.kerasName()).append('"');
    }
    throw new IllegalArgumentException(what + ": expected one of " + b + ", found \"" + name
        + "\"");
  }

  /** Output element type. */
  public HostValue.Kind kind() {
    return this == INT ? HostValue.Kind.INT : HostValue.Kind.FLOAT;
  }

  /** Output sample shape for an input sample shape (Keras's compute_output_shape). */
  public int[] outputShape(int[] in, int depth) {
    if (this == INT) {
      return in.clone();
    }
    if (in.length == 0) {
      return new int[] {depth};
    }
    if (this == ONE_HOT && in[in.length - 1] != 1) {
      int[] out = Arrays.copyOf(in, in.length + 1);
      out[in.length] = depth;
      return out;
    }
    int[] out = in.clone();
    out[in.length - 1] = depth;
    return out;
  }

  /**
   * Prepares {@code out} for the encoding of {@code in}'s elements: the indices' shape for
   * {@link #INT}, zeros of the encoded shape otherwise.
   */
  public void begin(HostValue in, HostValue out, int depth) {
    if (this == INT) {
      out.resizeLike(in, false, -1);
      return;
    }
    boolean replaceLast = this != ONE_HOT || in.rank() == 0 || in.dim(-1) == 1;
    out.resizeLike(in, replaceLast, depth);
    Arrays.fill(out.floats(), 0, out.count(), 0f);
  }

  /**
   * Writes index {@code index} (in {@code [0, depth)}, or negative to drop it, as Keras drops
   * a masked value outside "int" mode) of input element {@code e}.
   */
  public void put(HostValue in, HostValue out, int e, long index, int depth) {
    if (this == INT) {
      out.setInt(e, index);
      return;
    }
    if (index < 0) {
      return;
    }
    float[] f = out.floats();
    if (this == ONE_HOT) {
      f[e * depth + (int) index] = 1f;
      return;
    }
    int slot = (in.rank() == 0 ? 0 : e / in.dim(-1)) * depth + (int) index;
    if (this == MULTI_HOT) {
      f[slot] = 1f;
    } else {
      f[slot] += 1f; // COUNT, and TF_IDF before finish weighs it
    }
  }

  /** Multiplies the counts by the slot weights ({@link #TF_IDF} only). */
  public void finish(HostValue out, float[] weights, int depth) {
    if (this != TF_IDF) {
      return;
    }
    float[] f = out.floats();
    for (int i = 0; i < out.count(); i++) {
      f[i] *= weights[i % depth];
    }
  }
}
