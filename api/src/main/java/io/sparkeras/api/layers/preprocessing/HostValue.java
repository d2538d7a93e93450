package io.sparkeras.api.layers.preprocessing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One sample of one tensor on the host, where preprocessing layers run: numbers
 * ({@link Kind#FLOAT}, {@link Kind#INT}) or strings ({@link Kind#STRING}, UTF-8 bytes), with the
 * sample's shape (batch excluded; an image's height and width may differ from row to row) and a
 * missing flag per element (a null in the source table). A value is REUSED from row to row: its
 * arrays grow to the largest sample seen and are never shrunk, so a steady stream of rows
 * allocates nothing.
 *
 * <pre>{@code
 * HostValue v = new HostValue(HostValue.Kind.STRING);
 * v.reset();
 * v.addString("engineer");
 * lookup.encode(new HostValue[] {v}, out, context);   // out: INT, the vocabulary index
 * }</pre>
 */
public final class HostValue {
  /** Element type. Booleans are INT (0/1); Keras's int32 and int64 are both INT. */
  public enum Kind {
    FLOAT("float32"), INT("int64"), STRING("string");

    private final String dtype;

    Kind(String dtype) {
      this.dtype = dtype;
    }

    /** The Keras dtype name this kind stands for. */
    public String dtype() {
      return dtype;
    }

    /** The kind of a Keras dtype name ({@code "string"}, {@code "int32"}, {@code "float32"}, ...). */
    public static Kind ofDtype(String dtype) {
      if (dtype == null) {
        return FLOAT;
      }
      switch (dtype) {
        case "string":
          return STRING;
        case "int8": case "int16": case "int32": case "int64": case "uint8": case "uint16":
        case "uint32": case "uint64": case "bool":
          return INT;
        case "float16": case "bfloat16": case "float32": case "float64":
          return FLOAT;
        default:
          throw new IllegalArgumentException("dtype: expected string, bool, an int or a float "
              + "type, found '" + dtype + "'");
      }
    }
  }

  private Kind kind;
  private int count;
  private int[] shape = new int[1];
  private int rank;
  private float[] floats = new float[1];
  private long[] ints = new long[1];
  private byte[] bytes = new byte[16];
  private int[] ends = new int[1];
  private boolean[] missing = new boolean[1];
  private boolean anyMissing;

  public HostValue(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Changes the element type (a layer's output slot is set once, when the plan is made). */
  public void kind(Kind k) {
    this.kind = k;
  }

  /** Elements in this sample. */
  public int count() {
    return count;
  }

  /** Sample rank (batch excluded). */
  public int rank() {
    return rank;
  }

  /** Size of sample dimension {@code d}; negative counts from the end. */
  public int dim(int d) {
    return shape[d < 0 ? rank + d : d];
  }

  /** A copy of the sample shape, for messages and tests. */
  public int[] shape() {
    return Arrays.copyOf(shape, rank);
  }

  /** Empties the value for a new sample of shape {@code [0]} that the adders then fill. */
  public HostValue reset() {
    shape[0] = 0;
    rank = 1;
    count = 0;
    clearMissing(missing.length);
    return this;
  }

  /** Sets the sample shape and the element count it implies, for numbers written with setters. */
  public HostValue resize(int... dims) {
    int n = 1;
    if (shape.length < dims.length) {
      shape = new int[dims.length];
    }
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
      n *= dims[i];
    }
    rank = dims.length;
    ensure(n);
    count = n;
    clearMissing(n);
    return this;
  }

  /**
   * Sets the shape from {@code in}'s: the same ({@code extra < 0}), its last dimension replaced
   * by {@code extra} ({@code replaceLast}), or {@code extra} appended; a rank-0 {@code in} counts
   * as {@code [1]}. The element count follows; no allocation once the arrays are large enough.
   */
  public HostValue resizeLike(HostValue in, boolean replaceLast, int extra) {
    int inRank = Math.max(1, in.rank);
    int keep = extra < 0 ? inRank : replaceLast ? inRank - 1 : inRank;
    int r = extra < 0 ? keep : keep + 1;
    if (shape.length < r) {
      shape = new int[r];
    }
    int n = 1;
    for (int i = 0; i < keep; i++) {
      shape[i] = in.rank == 0 ? 1 : in.shape[i];
      n *= shape[i];
    }
    if (extra >= 0) {
      shape[keep] = extra;
      n *= extra;
    }
    rank = r;
    ensure(n);
    count = n;
    clearMissing(n);
    return this;
  }

  /** Gives this value {@code in}'s sample shape (the element counts must already agree). */
  public HostValue shapeLike(HostValue in) {
    if (shape.length < in.rank) {
      shape = new int[in.rank];
    }
    System.arraycopy(in.shape, 0, shape, 0, in.rank);
    rank = in.rank;
    return this;
  }

  /** Sets the shape {@code [n]} for n numbers written with the setters. */
  public HostValue resize1(int n) {
    shape[0] = n;
    rank = 1;
    ensure(n);
    count = n;
    clearMissing(n);
    return this;
  }

  /** Sets a rank-3 sample shape (an image {@code [h, w, c]}) without an int[] per call. */
  public HostValue resize3(int h, int w, int c) {
    if (shape.length < 3) {
      shape = new int[3];
    }
    shape[0] = h;
    shape[1] = w;
    shape[2] = c;
    rank = 3;
    int n = h * w * c;
    ensure(n);
    count = n;
    clearMissing(n);
    return this;
  }

  private void clearMissing(int n) {
    if (anyMissing) {
      Arrays.fill(missing, 0, Math.min(n, missing.length), false);
      anyMissing = false;
    }
  }

  private void ensure(int n) {
    switch (kind) {
      case FLOAT:
        if (floats.length < n) {
          floats = Arrays.copyOf(floats, grow(floats.length, n));
        }
        break;
      case INT:
        if (ints.length < n) {
          ints = Arrays.copyOf(ints, grow(ints.length, n));
        }
        break;
      default:
        if (ends.length < n + 1) {
          ends = Arrays.copyOf(ends, grow(ends.length, n + 1));
        }
    }
    if (missing.length < n) {
      missing = Arrays.copyOf(missing, grow(missing.length, n));
    }
  }

  private static int grow(int have, int need) {
    return Math.max(need, Math.min(Integer.MAX_VALUE - 8, have * 2));
  }

  // ---- numbers ---------------------------------------------------------------------------

  public float getFloat(int i) {
    return floats[i];
  }

  public void setFloat(int i, float v) {
    floats[i] = v;
  }

  public long getInt(int i) {
    return ints[i];
  }

  public void setInt(int i, long v) {
    ints[i] = v;
  }

  /** The element as a double whatever the numeric kind (floats as they are, ints converted). */
  public double getNumber(int i) {
    return kind == Kind.FLOAT ? floats[i] : ints[i];
  }

  /** Backing float array (valid up to {@link #count()}); FLOAT only. */
  public float[] floats() {
    return floats;
  }

  /** Backing long array (valid up to {@link #count()}); INT only. */
  public long[] ints() {
    return ints;
  }

  /** Appends a number to a value {@link #reset} for adding. */
  public void addFloat(float v) {
    ensure(count + 1);
    floats[count++] = v;
    shape[0] = count;
  }

  /** Appends an integer to a value {@link #reset} for adding. */
  public void addInt(long v) {
    ensure(count + 1);
    ints[count++] = v;
    shape[0] = count;
  }

  // ---- strings ---------------------------------------------------------------------------

  /** The UTF-8 bytes of every string element; element i is {@code [start(i), end(i))}. */
  public byte[] bytes() {
    return bytes;
  }

  public int start(int i) {
    return i == 0 ? 0 : ends[i - 1];
  }

  public int end(int i) {
    return ends[i];
  }

  /** Appends a string given as UTF-8 bytes. */
  public void addString(byte[] src, int off, int len) {
    int at = reserveString(len);
    System.arraycopy(src, off, bytes, at, len);
  }

  /**
   * Makes room for a string element of {@code len} UTF-8 bytes and returns where its bytes go in
   * {@link #bytes()} (the caller copies them in, e.g. straight from a Spark row).
   */
  public int reserveString(int len) {
    ensure(count + 1);
    int at = count == 0 ? 0 : ends[count - 1];
    if (bytes.length < at + len) {
      bytes = Arrays.copyOf(bytes, grow(bytes.length, at + len));
    }
    ends[count++] = at + len;
    shape[0] = count;
    return at;
  }

  /** Removes the last element (its bytes stay in place past the new end). */
  public void dropLast() {
    count--;
    shape[0] = count;
  }

  /** Appends a Java string, encoded to UTF-8 without allocating. */
  public void addString(CharSequence s) {
    int n = s.length();
    int at = reserveString(3 * n); // upper bound of UTF-8 bytes per UTF-16 unit
    int p = at;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes[p++] = (byte) c;
      } else if (c < 0x800) {
        bytes[p++] = (byte) (0xC0 | c >> 6);
        bytes[p++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        bytes[p++] = (byte) (0xF0 | cp >> 18);
        bytes[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
        bytes[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
        bytes[p++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        bytes[p++] = '?'; // an unpaired surrogate, as Java's encoder writes it
      } else {
        bytes[p++] = (byte) (0xE0 | c >> 12);
        bytes[p++] = (byte) (0x80 | c >> 6 & 0x3F);
        bytes[p++] = (byte) (0x80 | c & 0x3F);
      }
    }
    ends[count - 1] = p;
  }

  /** Element i decoded (allocates: for messages, tests and {@code invert} lookups only). */
  public String getString(int i) {
    return new String(bytes, start(i), end(i) - start(i), StandardCharsets.UTF_8);
  }

  // ---- missing values --------------------------------------------------------------------

  /** Appends a missing element (a null in the source): an empty string, a 0. */
  public void addMissing() {
    switch (kind) {
      case FLOAT:
        addFloat(0f);
        break;
      case INT:
        addInt(0);
        break;
      default:
        reserveString(0);
    }
    missing[count - 1] = true;
    anyMissing = true;
  }

  /** Marks element i missing. */
  public void setMissing(int i) {
    missing[i] = true;
    anyMissing = true;
  }

  public boolean isMissing(int i) {
    return anyMissing && missing[i];
  }

  public boolean anyMissing() {
    return anyMissing;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(kind.dtype()).append(Arrays.toString(shape())).append('[');
    for (int i = 0; i < Math.min(count, 16); i++) {
      b.append(i == 0 ? "" : ", ");
      if (isMissing(i)) {
        b.append("null");
      } else if (kind == Kind.STRING) {
        b.append('"').append(getString(i)).append('"');
      } else {
        b.append(kind == Kind.FLOAT ? Float.toString(floats[i]) : Long.toString(ints[i]));
      }
    }
    return b.append(count > 16 ? ", ...]" : "]").toString();
  }
}
