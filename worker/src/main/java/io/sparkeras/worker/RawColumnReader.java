package io.sparkeras.worker;

import io.sparkeras.api.layers.preprocessing.HostValue;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads one {@link RawColumnSpec} of each row into a reused {@link HostValue}. On Spark's
 * {@link UnsafeRow}s (what {@code queryExecution().toRdd()} gives) it allocates nothing: strings,
 * binaries, arrays and structs are read through the row's own offsets into reused views.
 * Problems (a null under {@link RawColumnSpec.NullPolicy#FAIL}, a wrong size, NaN) are returned
 * as a message, null when the value is fine, so the good path never builds a string.
 */
public final class RawColumnReader {
  private final RawColumnSpec spec;
  private final UnsafeArrayData array = new UnsafeArrayData();
  private final UnsafeArrayData array2 = new UnsafeArrayData();
  private final UnsafeRow struct;

  public RawColumnReader(RawColumnSpec spec) {
    this.spec = spec;
    this.struct = new UnsafeRow(spec.form == RawColumnSpec.Form.IMAGE ? 6 : 4);
  }

  public RawColumnSpec spec() {
    return spec;
  }

  /** Fills {@code v} with this column's value in {@code row}; returns a problem or null. */
  public String read(InternalRow row, HostValue v) {
    int ord = spec.ordinal;
    v.reset();
    if (row.isNullAt(ord)) {
      if (spec.nulls == RawColumnSpec.NullPolicy.MISSING) {
        v.addMissing();
        return null;
      }
      return "column '" + spec.column + "' is null";
    }
    switch (spec.form) {
      case SCALAR:
        if (spec.type == RawColumnSpec.T_STRING) {
          readString(row, ord, v, false);
          return null;
        }
        return number(ColumnReader.scalar(row, ord, spec.type, spec.precision, spec.scale),
            row.getLong(ord), v, -1);
      case BINARY:
        readString(row, ord, v, true);
        return null;
      case ARRAY:
        return readArray(row, ord, v);
      case VECTOR:
        return readVector(row, ord, v);
      case IMAGE:
        return readImage(row, ord, v);
      default:
        return readPixels(row, ord, v);
    }
  }

  /** Adds a number as the value's kind; rejects NaN and infinity (or makes them missing). */
  private String number(float f, long raw, HostValue v, int element) {
    if (spec.kind == HostValue.Kind.INT) {
      v.addInt(spec.type == ColumnSpec.T_LONG ? raw : (long) f);
      return null;
    }
    if (!Float.isFinite(f)) {
      if (spec.nulls == RawColumnSpec.NullPolicy.MISSING) {
        v.addMissing();
        return null;
      }
      return "column '" + spec.column + "'" + (element >= 0 ? " value " + element : "")
          + " holds " + f + "; expected a finite number";
    }
    v.addFloat(f);
    return null;
  }

  private static void readString(InternalRow row, int ord, HostValue v, boolean binary) {
    if (row instanceof UnsafeRow) {
      UnsafeRow u = (UnsafeRow) row;
      long offsetAndSize = u.getLong(ord);
      int size = (int) offsetAndSize;
      int at = v.reserveString(size);
      Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + (offsetAndSize >> 32),
          v.bytes(), Platform.BYTE_ARRAY_OFFSET + at, size);
      return;
    }
    if (binary) {
      byte[] b = row.getBinary(ord);
      v.addString(b, 0, b.length);
      return;
    }
    UTF8String s = row.getUTF8String(ord);
    int at = v.reserveString(s.numBytes());
    s.writeToMemory(v.bytes(), Platform.BYTE_ARRAY_OFFSET + at);
  }

  /** Points {@code view} at the array in field {@code ord} of an UnsafeRow, or null. */
  private static ArrayData arrayOf(InternalRow row, int ord, UnsafeArrayData view) {
    if (row instanceof UnsafeRow) {
      UnsafeRow u = (UnsafeRow) row;
      long offsetAndSize = u.getLong(ord);
      view.pointTo(u.getBaseObject(), u.getBaseOffset() + (offsetAndSize >> 32),
          (int) offsetAndSize);
      return view;
    }
    return row.getArray(ord);
  }

  private String readArray(InternalRow row, int ord, HostValue v) {
    ArrayData a = arrayOf(row, ord, array);
    int n = a.numElements();
    int want = spec.shape.length == 1 ? spec.shape[0] : -1;
    if (want >= 0 && n != want) {
      return "column '" + spec.column + "' has " + n + " values, the input takes " + want;
    }
    for (int i = 0; i < n; i++) {
      if (a.isNullAt(i)) {
        if (spec.nulls == RawColumnSpec.NullPolicy.FAIL) {
          return "column '" + spec.column + "' value " + i + " is null";
        }
        v.addMissing();
        continue;
      }
      if (spec.type == RawColumnSpec.T_STRING) {
        if (a instanceof UnsafeArrayData) {
          UnsafeArrayData u = (UnsafeArrayData) a;
          long offsetAndSize = u.getLong(i);
          int size = (int) offsetAndSize;
          int at = v.reserveString(size);
          Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + (offsetAndSize >> 32),
              v.bytes(), Platform.BYTE_ARRAY_OFFSET + at, size);
        } else {
          UTF8String s = a.getUTF8String(i);
          int at = v.reserveString(s.numBytes());
          s.writeToMemory(v.bytes(), Platform.BYTE_ARRAY_OFFSET + at);
        }
        continue;
      }
      float f;
      long raw = 0;
      switch (spec.type) {
        case ColumnSpec.T_FLOAT: f = a.getFloat(i); break;
        case ColumnSpec.T_DOUBLE: f = (float) a.getDouble(i); break;
        case ColumnSpec.T_INT: f = a.getInt(i); break;
        case ColumnSpec.T_LONG: raw = a.getLong(i); f = raw; break;
        case ColumnSpec.T_SHORT: f = a.getShort(i); break;
        case ColumnSpec.T_BYTE: f = a.getByte(i); break;
        default: f = a.getBoolean(i) ? 1f : 0f;
      }
      String problem = number(f, raw, v, i);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** Points the reused struct view at field {@code ord} (UnsafeRow), or gets the struct. */
  private InternalRow structOf(InternalRow row, int ord) {
    if (row instanceof UnsafeRow) {
      UnsafeRow u = (UnsafeRow) row;
      long offsetAndSize = u.getLong(ord);
      struct.pointTo(u.getBaseObject(), u.getBaseOffset() + (offsetAndSize >> 32),
          (int) offsetAndSize);
      return struct;
    }
    return row.getStruct(ord, struct.numFields());
  }

  private String readVector(InternalRow row, int ord, HostValue v) {
    InternalRow s = structOf(row, ord);
    ArrayData values = arrayOf(s, 3, array);
    int size = s.getByte(0) == 1 ? values.numElements() : s.getInt(1);
    int want = spec.shape.length == 1 ? spec.shape[0] : -1;
    if (want >= 0 && size != want) {
      return "column '" + spec.column + "' has a vector of size " + size + ", the input takes "
          + want;
    }
    v.resize1(size);
    float[] f = v.floats();
    if (s.getByte(0) == 1) {
      for (int i = 0; i < size; i++) {
        f[i] = (float) values.getDouble(i);
      }
    } else {
      java.util.Arrays.fill(f, 0, size, 0f);
      ArrayData idx = arrayOf(s, 2, array2);
      for (int k = 0; k < values.numElements(); k++) {
        int i = idx.getInt(k);
        if (i < 0 || i >= size) {
          return "column '" + spec.column + "' has a sparse index " + i + " outside [0, " + size
              + ")";
        }
        f[i] = (float) values.getDouble(k);
      }
    }
    for (int i = 0; i < size; i++) {
      if (!Float.isFinite(f[i])) {
        return "column '" + spec.column + "' value " + i + " holds " + f[i]
            + "; expected a finite number";
      }
    }
    return null;
  }

  private String readImage(InternalRow row, int ord, HostValue v) {
    InternalRow s = structOf(row, ord);
    int h = s.getInt(1);
    int w = s.getInt(2);
    int c = s.getInt(3);
    int mode = s.getInt(4);
    if (mode != 0 && mode != 16 && mode != 24) {
      return "column '" + spec.column + "' holds an image of OpenCV mode " + mode + "; expected "
          + "8-bit pixels (CV_8UC1, CV_8UC3 or CV_8UC4)";
    }
    int[] want = spec.shape;
    if (want[2] >= 0 && c != want[2] || want[0] >= 0 && h != want[0]
        || want[1] >= 0 && w != want[1]) {
      return "column '" + spec.column + "' holds a " + h + "x" + w + "x" + c + " image, the "
          + "input takes " + java.util.Arrays.toString(want) + " (-1: any)";
    }
    v.resize3(h, w, c);
    float[] f = v.floats();
    int n = h * w * c;
    Object base;
    long offset;
    int size;
    if (s instanceof UnsafeRow) {
      UnsafeRow u = (UnsafeRow) s;
      long offsetAndSize = u.getLong(5);
      base = u.getBaseObject();
      offset = u.getBaseOffset() + (offsetAndSize >> 32);
      size = (int) offsetAndSize;
    } else {
      byte[] b = s.getBinary(5);
      base = b;
      offset = Platform.BYTE_ARRAY_OFFSET;
      size = b.length;
    }
    if (size != n) {
      return "column '" + spec.column + "' holds " + size + " pixel bytes for a " + h + "x" + w
          + "x" + c + " image";
    }
    for (int p = 0; p < h * w; p++) {
      for (int k = 0; k < c; k++) {
        // OpenCV stores BGR(A); the model sees RGB(A)
        int src = c >= 3 && k < 3 ? 2 - k : k;
        f[p * c + k] = Platform.getByte(base, offset + (long) p * c + src) & 0xFF;
      }
    }
    return null;
  }

  private String readPixels(InternalRow row, int ord, HostValue v) {
    int[] s = spec.shape;
    int n = 1;
    for (int d : s) {
      n *= d;
    }
    Object base;
    long offset;
    int size;
    if (row instanceof UnsafeRow) {
      UnsafeRow u = (UnsafeRow) row;
      long offsetAndSize = u.getLong(ord);
      base = u.getBaseObject();
      offset = u.getBaseOffset() + (offsetAndSize >> 32);
      size = (int) offsetAndSize;
    } else {
      byte[] b = row.getBinary(ord);
      base = b;
      offset = Platform.BYTE_ARRAY_OFFSET;
      size = b.length;
    }
    if (size != n) {
      return "column '" + spec.column + "' has " + size + " bytes, the input's shape "
          + java.util.Arrays.toString(s) + " needs " + n;
    }
    v.resize(s);
    float[] f = v.floats();
    for (int i = 0; i < n; i++) {
      f[i] = Platform.getByte(base, offset + i) & 0xFF;
    }
    return null;
  }
}
