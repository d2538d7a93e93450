package io.sparkeras.worker;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * Reads one {@link ColumnSpec} of an {@link InternalRow} into a float array. Allocation-free
 * except where Spark's accessors allocate (a struct view for vectors, the byte[] of a binary).
 * Problems are returned as a message (null when the row is fine) so that the good path never
 * builds a string.
 */
final class ColumnReader {
  private ColumnReader() {}

  /** Fills {@code dst[off, off + spec.width)} from {@code row}; returns a problem or null. */
  static String read(ColumnSpec c, InternalRow row, float[] dst, int off) {
    int w = c.width;
    switch (c.kind) {
      case NUMERIC:
        for (int i = 0; i < c.ordinals.length; i++) {
          int ord = c.ordinals[i];
          if (row.isNullAt(ord)) {
            return "column '" + c.names[i] + "' is null";
          }
          float v = scalar(row, ord, c.types[i], c.precision[i], c.scale[i]);
          if (!Float.isFinite(v)) {
            return "column '" + c.names[i] + "' holds " + v + "; expected a finite number";
          }
          dst[off + i] = v;
        }
        return null;
      case ARRAY: {
        int ord = c.ordinals[0];
        if (row.isNullAt(ord)) {
          return "column '" + c.names[0] + "' is null";
        }
        ArrayData a = row.getArray(ord);
        int n = a.numElements();
        if (n != w) {
          return "column '" + c.names[0] + "' has " + n + " values, expected " + w;
        }
        byte t = c.types[0];
        if (t == ColumnSpec.T_FLOAT && a instanceof UnsafeArrayData) {
          UnsafeArrayData u = (UnsafeArrayData) a;
          long header = UnsafeArrayData.calculateHeaderPortionInBytes(n);
          Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + header, dst,
              Platform.FLOAT_ARRAY_OFFSET + 4L * off, 4L * n);
          if (hasNull(u, n)) {
            for (int i = 0; i < n; i++) {
              if (u.isNullAt(i)) {
                return elementProblem(c, i, "null");
              }
            }
          }
          for (int i = 0; i < n; i++) {
            if (!Float.isFinite(dst[off + i])) {
              return elementProblem(c, i, String.valueOf(dst[off + i]));
            }
          }
          return null;
        }
        for (int i = 0; i < n; i++) {
          if (a.isNullAt(i)) {
            return elementProblem(c, i, "null");
          }
          float v;
          switch (t) {
            case ColumnSpec.T_FLOAT: v = a.getFloat(i); break;
            case ColumnSpec.T_DOUBLE: v = (float) a.getDouble(i); break;
            case ColumnSpec.T_INT: v = a.getInt(i); break;
            case ColumnSpec.T_LONG: v = a.getLong(i); break;
            case ColumnSpec.T_SHORT: v = a.getShort(i); break;
            case ColumnSpec.T_BYTE: v = a.getByte(i); break;
            default: throw new IllegalStateException("element type " + t);
          }
          if (!Float.isFinite(v)) {
            return elementProblem(c, i, String.valueOf(v));
          }
          dst[off + i] = v;
        }
        return null;
      }
      case VECTOR: {
        int ord = c.ordinals[0];
        if (row.isNullAt(ord)) {
          return "column '" + c.names[0] + "' is null";
        }
        InternalRow s = row.getStruct(ord, 4);
        byte type = s.getByte(0);
        ArrayData values = s.getArray(3);
        if (type == 1) { // dense
          int n = values.numElements();
          if (n != w) {
            return "column '" + c.names[0] + "' has a vector of size " + n + ", expected " + w;
          }
          for (int i = 0; i < n; i++) {
            float v = (float) values.getDouble(i);
            if (!Float.isFinite(v)) {
              return elementProblem(c, i, String.valueOf(v));
            }
            dst[off + i] = v;
          }
          return null;
        }
        int size = s.getInt(1);
        if (size != w) {
          return "column '" + c.names[0] + "' has a vector of size " + size + ", expected " + w;
        }
        ArrayData idx = s.getArray(2);
        java.util.Arrays.fill(dst, off, off + w, 0f);
        int nnz = values.numElements();
        for (int k = 0; k < nnz; k++) {
          int i = idx.getInt(k);
          float v = (float) values.getDouble(k);
          if (i < 0 || i >= w) {
            return "column '" + c.names[0] + "' has a sparse index " + i + " outside [0, " + w + ")";
          }
          if (!Float.isFinite(v)) {
            return elementProblem(c, i, String.valueOf(v));
          }
          dst[off + i] = v;
        }
        return null;
      }
      case BINARY_UINT8:
      case BINARY_FLOAT32: {
        int ord = c.ordinals[0];
        if (row.isNullAt(ord)) {
          return "column '" + c.names[0] + "' is null";
        }
        byte[] b = row.getBinary(ord);
        boolean f32 = c.kind == ColumnSpec.Kind.BINARY_FLOAT32;
        int expected = f32 ? 4 * w : w;
        if (b.length != expected) {
          return "column '" + c.names[0] + "' has " + b.length + " bytes, expected " + expected
              + " (" + w + (f32 ? " float32 values)" : " unsigned bytes)");
        }
        if (!f32) {
          for (int i = 0; i < w; i++) {
            dst[off + i] = b[i] & 0xFF;
          }
          return null;
        }
        for (int i = 0; i < w; i++) {
          int bits = (b[4 * i] & 0xFF) | (b[4 * i + 1] & 0xFF) << 8 | (b[4 * i + 2] & 0xFF) << 16
              | (b[4 * i + 3] & 0xFF) << 24;
          float v = Float.intBitsToFloat(bits);
          if (!Float.isFinite(v)) {
            return elementProblem(c, i, String.valueOf(v));
          }
          dst[off + i] = v;
        }
        return null;
      }
      default:
        throw new IllegalStateException(c.kind.name());
    }
  }

  /** Whether any of the array's null bits is set: one word read per 64 elements. */
  private static boolean hasNull(UnsafeArrayData u, int n) {
    long bits = u.getBaseOffset() + 8; // after the element count
    for (int w = 0; w < (n + 63) / 64; w++) {
      if (Platform.getLong(u.getBaseObject(), bits + 8L * w) != 0) {
        return true;
      }
    }
    return false;
  }

  private static String elementProblem(ColumnSpec c, int i, String found) {
    return "column '" + c.names[0] + "' value " + i + " is " + found + "; expected a finite number";
  }

  static float scalar(InternalRow row, int ord, byte type, int precision, int scale) {
    switch (type) {
      case ColumnSpec.T_BYTE: return row.getByte(ord);
      case ColumnSpec.T_SHORT: return row.getShort(ord);
      case ColumnSpec.T_INT: return row.getInt(ord);
      case ColumnSpec.T_LONG: return row.getLong(ord);
      case ColumnSpec.T_FLOAT: return row.getFloat(ord);
      case ColumnSpec.T_DOUBLE: return (float) row.getDouble(ord);
      case ColumnSpec.T_DECIMAL: return (float) row.getDecimal(ord, precision, scale).toDouble();
      case ColumnSpec.T_BOOLEAN: return row.getBoolean(ord) ? 1f : 0f;
      default: throw new IllegalStateException("scalar type " + type);
    }
  }

  /** Width of an array or vector column in one row, or -1 if null. */
  static int widthOf(ColumnSpec c, InternalRow row) {
    int ord = c.ordinals[0];
    if (row.isNullAt(ord)) {
      return -1;
    }
    switch (c.kind) {
      case ARRAY:
        return row.getArray(ord).numElements();
      case VECTOR: {
        InternalRow s = row.getStruct(ord, 4);
        return s.getByte(0) == 1 ? s.getArray(3).numElements() : s.getInt(1);
      }
      default:
        return c.width;
    }
  }
}
