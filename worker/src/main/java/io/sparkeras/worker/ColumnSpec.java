package io.sparkeras.worker;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * How one model input or target is read from Spark rows: which column(s), which Spark type, and
 * how many floats per row. Resolved once on the driver from the DataFrame's schema (errors name
 * the column, what was expected and what was found) and shipped to the tasks.
 *
 * <p>Supported columns:
 * <ul>
 * <li>a Spark ML {@code Vector} (dense or sparse), or a struct of the same layout
 *     ({@code type: tinyint, size: int, indices: array<int>, values: array<double>});</li>
 * <li>{@code array<float>}, {@code array<double>} (also {@code array<int|long>});</li>
 * <li>one or several numeric columns (byte, short, int, long, float, double, decimal,
 *     boolean), one float each;</li>
 * <li>{@code binary} with a declared sample shape, as unsigned bytes or little-endian float32.</li>
 * </ul>
 */
public final class ColumnSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Physical layout of the column(s). */
  public enum Kind { VECTOR, ARRAY, NUMERIC, BINARY_UINT8, BINARY_FLOAT32 }

  /** How bytes of a binary column become floats. */
  public enum BinaryEncoding { UINT8, FLOAT32_LE }

  // element / scalar type codes (kept as bytes so that the hot path switches on an int)
  static final byte T_BYTE = 1;
  static final byte T_SHORT = 2;
  static final byte T_INT = 3;
  static final byte T_LONG = 4;
  static final byte T_FLOAT = 5;
  static final byte T_DOUBLE = 6;
  static final byte T_DECIMAL = 7;
  static final byte T_BOOLEAN = 8;

  final Kind kind;
  final String[] names;
  final int[] ordinals;
  /** Element type of an ARRAY, or one scalar type per NUMERIC column. */
  final byte[] types;
  final int[] precision;
  final int[] scale;
  /** Floats per row; -1 while unknown (arrays and vectors before the first row is seen). */
  int width;

  private ColumnSpec(Kind kind, String[] names, int[] ordinals, byte[] types, int[] precision,
      int[] scale, int width) {
    this.kind = kind;
    this.names = names;
    this.ordinals = ordinals;
    this.types = types;
    this.precision = precision;
    this.scale = scale;
    this.width = width;
  }

  public Kind kind() {
    return kind;
  }

  /** Column names, as given. */
  public List<String> names() {
    return List.of(names);
  }

  /** Floats per row, or -1 if the schema cannot tell (array and vector columns). */
  public int width() {
    return width;
  }

  /** Sets the width found in the data (arrays and vectors); checked against every row. */
  public ColumnSpec withWidth(int w) {
    ColumnSpec c = new ColumnSpec(kind, names, ordinals, types, precision, scale, w);
    return c;
  }

  /** A readable description: {@code column 'features' (array<float>)}. */
  public String describe() {
    return (names.length == 1 ? "column '" + names[0] + "'" : "columns " + Arrays.toString(names))
        + " (" + kind.name().toLowerCase() + ")";
  }

  /**
   * Resolves columns for a role ("features", "label") from a schema.
   *
   * @param role what the column is for, used in error messages
   * @param binaryWidth floats per row of a binary column (its declared shape's size), else ignored
   */
  public static ColumnSpec resolve(StructType schema, String role, List<String> columns,
      int binaryWidth, BinaryEncoding encoding) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException(role + ": no column given");
    }
    List<StructField> fields = new ArrayList<>();
    int[] ords = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      String c = columns.get(i);
      int idx;
      try {
        idx = schema.fieldIndex(c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(role + " column '" + c + "' does not exist; the "
            + "DataFrame has " + Arrays.toString(schema.fieldNames()));
      }
      ords[i] = idx;
      fields.add(schema.fields()[idx]);
    }
    String[] names = columns.toArray(new String[0]);
    if (fields.size() > 1) {
      byte[] types = new byte[fields.size()];
      int[] prec = new int[fields.size()];
      int[] sc = new int[fields.size()];
      for (int i = 0; i < fields.size(); i++) {
        DataType dt = fields.get(i).dataType();
        types[i] = scalarType(dt);
        if (types[i] == 0) {
          throw new IllegalArgumentException(role + " column '" + names[i] + "': expected a "
              + "numeric column (several columns are read as one float each), found "
              + dt.simpleString());
        }
        if (dt instanceof DecimalType) {
          prec[i] = ((DecimalType) dt).precision();
          sc[i] = ((DecimalType) dt).scale();
        }
      }
      return new ColumnSpec(Kind.NUMERIC, names, ords, types, prec, sc, fields.size());
    }
    DataType dt = fields.get(0).dataType();
    byte scalar = scalarType(dt);
    if (scalar != 0) {
      int[] prec = new int[1];
      int[] sc = new int[1];
      if (dt instanceof DecimalType) {
        prec[0] = ((DecimalType) dt).precision();
        sc[0] = ((DecimalType) dt).scale();
      }
      return new ColumnSpec(Kind.NUMERIC, names, ords, new byte[] {scalar}, prec, sc, 1);
    }
    if (dt instanceof ArrayType) {
      byte el = scalarType(((ArrayType) dt).elementType());
      if (el == 0 || el == T_DECIMAL || el == T_BOOLEAN) {
        throw new IllegalArgumentException(role + " column '" + names[0] + "': expected an "
            + "array of float or double, found " + dt.simpleString());
      }
      return new ColumnSpec(Kind.ARRAY, names, ords, new byte[] {el}, null, null, -1);
    }
    if (isVector(dt)) {
      return new ColumnSpec(Kind.VECTOR, names, ords, new byte[] {T_DOUBLE}, null, null, -1);
    }
    if (dt instanceof BinaryType) {
      if (binaryWidth <= 0) {
        throw new IllegalArgumentException(role + " column '" + names[0] + "' is binary: declare "
            + "its sample shape (e.g. binaryShape(28, 28, 1)) so that it can be read as floats");
      }
      Kind k = encoding == BinaryEncoding.FLOAT32_LE ? Kind.BINARY_FLOAT32 : Kind.BINARY_UINT8;
      return new ColumnSpec(k, names, ords, new byte[] {0}, null, null, binaryWidth);
    }
    throw new IllegalArgumentException(role + " column '" + names[0] + "': expected a Vector, "
        + "array<float>, array<double>, a numeric or a binary column, found " + dt.simpleString());
  }

  /** True for Spark ML's VectorUDT (without linking mllib) or a struct of the same layout. */
  static boolean isVector(DataType dt) {
    if (dt instanceof UserDefinedType) {
      return isVectorStruct(((UserDefinedType<?>) dt).sqlType());
    }
    return isVectorStruct(dt);
  }

  private static boolean isVectorStruct(DataType dt) {
    if (!(dt instanceof StructType)) {
      return false;
    }
    StructField[] f = ((StructType) dt).fields();
    return f.length == 4 && f[0].dataType().equals(DataTypes.ByteType)
        && f[1].dataType().equals(DataTypes.IntegerType)
        && f[2].dataType().equals(DataTypes.createArrayType(DataTypes.IntegerType, false))
        && f[3].dataType().equals(DataTypes.createArrayType(DataTypes.DoubleType, false))
        || f.length == 4 && f[0].dataType().equals(DataTypes.ByteType)
        && f[1].dataType().equals(DataTypes.IntegerType)
        && f[2].dataType() instanceof ArrayType && f[3].dataType() instanceof ArrayType
        && ((ArrayType) f[2].dataType()).elementType().equals(DataTypes.IntegerType)
        && ((ArrayType) f[3].dataType()).elementType().equals(DataTypes.DoubleType);
  }

  static byte scalarType(DataType dt) {
    if (dt.equals(DataTypes.ByteType)) {
      return T_BYTE;
    } else if (dt.equals(DataTypes.ShortType)) {
      return T_SHORT;
    } else if (dt.equals(DataTypes.IntegerType)) {
      return T_INT;
    } else if (dt.equals(DataTypes.LongType)) {
      return T_LONG;
    } else if (dt.equals(DataTypes.FloatType)) {
      return T_FLOAT;
    } else if (dt.equals(DataTypes.DoubleType)) {
      return T_DOUBLE;
    } else if (dt instanceof DecimalType) {
      return T_DECIMAL;
    } else if (dt.equals(DataTypes.BooleanType)) {
      return T_BOOLEAN;
    }
    return 0;
  }

  /**
   * Floats this column holds in {@code row} (array length, vector size; the fixed width of other
   * kinds), or -1 if the value is null. The driver uses it on the first row when the schema
   * cannot tell.
   */
  public int widthIn(org.apache.spark.sql.catalyst.InternalRow row) {
    return ColumnReader.widthOf(this, row);
  }
}
