package io.sparkeras.worker;

import io.sparkeras.api.layers.preprocessing.HostValue;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How one raw model input (a preprocessing model's {@code Input}, of dtype string, int or float)
 * is read from a Spark column, resolved once on the driver from the schema (errors name the
 * column, what the input takes and what the column is) and shipped to the tasks.
 *
 * <p>Columns by input type: strings from {@code string}, {@code binary} (the bytes) or
 * {@code array<string>}; integers from byte/short/int/long/boolean or arrays of them; floats
 * from any number (decimal, boolean included), arrays of numbers, a Spark ML {@code Vector},
 * Spark's image struct ({@code ImageSchema}: 8-bit BGR(A) pixels, given to the model as RGB(A),
 * each row its own size) or {@code binary} holding unsigned-byte pixels of the input's declared
 * shape. A null is a problem, or a missing value when {@link NullPolicy#MISSING}: lookups map it
 * to the mask or OOV index (as Keras maps a missing token), numbers to 0.
 */
public final class RawColumnSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a null (or a NaN float) becomes. */
  public enum NullPolicy {
    /** The row is bad (fails the task or is skipped, per the job's bad-row policy). */
    FAIL,
    /** A missing value the preprocessing layers map (mask/OOV index, 0 for numbers). */
    MISSING
  }

  /** Physical form of the column. */
  enum Form { SCALAR, ARRAY, VECTOR, IMAGE, BINARY, BINARY_PIXELS }

  final String column;
  final int ordinal;
  final HostValue.Kind kind;
  final Form form;
  /** Scalar or element type code ({@link ColumnSpec}'s T_* codes; 9 = string). */
  final byte type;
  final int precision;
  final int scale;
  final int[] shape;
  final NullPolicy nulls;

  static final byte T_STRING = 9;

  private RawColumnSpec(String column, int ordinal, HostValue.Kind kind, Form form, byte type,
      int precision, int scale, int[] shape, NullPolicy nulls) {
    this.column = column;
    this.ordinal = ordinal;
    this.kind = kind;
    this.form = form;
    this.type = type;
    this.precision = precision;
    this.scale = scale;
    this.shape = shape.clone();
    this.nulls = nulls;
  }

  public String column() {
    return column;
  }

  /**
   * Resolves the column for an input.
   *
   * @param input names the input in messages ("input 'zip'")
   * @param kind what the input takes
   * @param shape the input's declared sample shape (-1 where unknown)
   */
  public static RawColumnSpec resolve(StructType schema, String column, String input,
      HostValue.Kind kind, int[] shape, NullPolicy nulls) {
    int ord;
    try {
      ord = schema.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(input + ": column '" + column + "' does not exist; the "
          + "DataFrame has " + Arrays.toString(schema.fieldNames()));
    }
    DataType dt = schema.fields()[ord].dataType();
    String found = "column '" + column + "' (" + dt.simpleString() + ")";
    byte scalar = ColumnSpec.scalarType(dt);
    int prec = dt instanceof DecimalType ? ((DecimalType) dt).precision() : 0;
    int sc = dt instanceof DecimalType ? ((DecimalType) dt).scale() : 0;
    switch (kind) {
      case STRING:
        if (dt instanceof StringType) {
          return new RawColumnSpec(column, ord, kind, Form.SCALAR, T_STRING, 0, 0, shape, nulls);
        }
        if (dt instanceof BinaryType) {
          return new RawColumnSpec(column, ord, kind, Form.BINARY, T_STRING, 0, 0, shape, nulls);
        }
        if (dt instanceof ArrayType && ((ArrayType) dt).elementType() instanceof StringType) {
          return new RawColumnSpec(column, ord, kind, Form.ARRAY, T_STRING, 0, 0, shape, nulls);
        }
        throw new IllegalArgumentException(input + " takes strings: expected a string, binary "
            + "or array<string> column, found " + found);
      case INT:
        if (integral(scalar)) {
          return new RawColumnSpec(column, ord, kind, Form.SCALAR, scalar, 0, 0, shape, nulls);
        }
        if (dt instanceof ArrayType && integral(ColumnSpec.scalarType(
            ((ArrayType) dt).elementType()))) {
          return new RawColumnSpec(column, ord, kind, Form.ARRAY,
              ColumnSpec.scalarType(((ArrayType) dt).elementType()), 0, 0, shape, nulls);
        }
        throw new IllegalArgumentException(input + " takes integers: expected a byte, short, "
            + "int, long or boolean column (or an array of them), found " + found);
      default:
        if (scalar != 0) {
          return new RawColumnSpec(column, ord, kind, Form.SCALAR, scalar, prec, sc, shape, nulls);
        }
        if (dt instanceof ArrayType) {
          byte el = ColumnSpec.scalarType(((ArrayType) dt).elementType());
          if (el != 0 && el != ColumnSpec.T_DECIMAL) {
            return new RawColumnSpec(column, ord, kind, Form.ARRAY, el, 0, 0, shape, nulls);
          }
        }
        if (ColumnSpec.isVector(dt)) {
          return new RawColumnSpec(column, ord, kind, Form.VECTOR, ColumnSpec.T_DOUBLE, 0, 0,
              shape, nulls);
        }
        if (isImage(dt)) {
          if (shape.length != 3) {
            throw new IllegalArgumentException(input + " has shape " + Arrays.toString(shape)
                + ", an image column needs an input of shape (height, width, channels)");
          }
          return new RawColumnSpec(column, ord, kind, Form.IMAGE, (byte) 0, 0, 0, shape, nulls);
        }
        if (dt instanceof BinaryType) {
          for (int d : shape) {
            if (d < 0) {
              throw new IllegalArgumentException(input + " reads unsigned-byte pixels from "
                  + found + ": its shape " + Arrays.toString(shape) + " must be fully known");
            }
          }
          return new RawColumnSpec(column, ord, kind, Form.BINARY_PIXELS, (byte) 0, 0, 0, shape,
              nulls);
        }
        throw new IllegalArgumentException(input + " takes numbers: expected a numeric column, "
            + "an array of numbers, a Vector, an image struct or binary pixels, found " + found);
    }
  }

  private static boolean integral(byte t) {
    return t == ColumnSpec.T_BYTE || t == ColumnSpec.T_SHORT || t == ColumnSpec.T_INT
        || t == ColumnSpec.T_LONG || t == ColumnSpec.T_BOOLEAN;
  }

  /** Spark's image struct: origin, height, width, nChannels, mode, data. */
  static boolean isImage(DataType dt) {
    if (!(dt instanceof StructType)) {
      return false;
    }
    StructField[] f = ((StructType) dt).fields();
    return f.length == 6 && f[0].name().equals("origin") && f[1].name().equals("height")
        && f[1].dataType().equals(DataTypes.IntegerType) && f[2].name().equals("width")
        && f[3].name().equals("nChannels") && f[4].name().equals("mode")
        && f[5].name().equals("data") && f[5].dataType() instanceof BinaryType;
  }

  @Override
  public String toString() {
    return "column '" + column + "' (" + form.name().toLowerCase() + " -> " + kind.dtype() + ")";
  }
}
