package io.sparkeras.api.saving.keras;

import hdf.hdf5lib.H5;
import hdf.hdf5lib.HDF5Constants;
import hdf.hdf5lib.exceptions.HDF5Exception;
import hdf.hdf5lib.structs.H5G_info_t;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One local HDF5 file, read or written through the HDF Group's own library and Java API
 * ({@code hdf.hdf5lib.H5}, shipped with its natives in {@code org.bytedeco:hdf5}): the handful of
 * operations Keras's weight files need — groups, string attributes, numeric datasets. Every
 * number comes back as float32 (float16, bfloat16, float64 and integers converted); paths are
 * absolute inside the file ({@code "layers/dense/vars/0"}). Errors are {@link IOException}s
 * naming the file and the object.
 *
 * <pre>{@code
 * try (Hdf5File f = Hdf5File.open(Path.of("model.weights.h5"), "model.weights.h5")) {
 *   Hdf5File.Array kernel = f.readFloats("layers/dense/vars/0");
 * }
 * }</pre>
 *
 * <p>The library is not thread-safe; its Java API serialises every call on one lock, so
 * instances may be used from any thread.
 */
public final class Hdf5File implements AutoCloseable {
  private static volatile boolean loaded;

  private final long fid;
  private final String source;
  /** Creation properties of written groups and datasets (no timestamps); -1 when reading. */
  private final long groupProps;
  private final long datasetProps;
  private boolean closed;

  /** Constants read from the native library: initialised only after {@link #loadLibrary}. */
  private static final class Lib {
    static final long DEFAULT = HDF5Constants.H5P_DEFAULT;
  }

  /** A dataset's shape and values as float32, plus the type it was stored as. */
  public record Array(int[] shape, float[] values, String storedType) {}

  private Hdf5File(long fid, String source, long groupProps, long datasetProps) {
    this.fid = fid;
    this.source = source;
    this.groupProps = groupProps;
    this.datasetProps = datasetProps;
  }

  /** Opens an existing file read-only; {@code source} names it in error messages. */
  public static Hdf5File open(Path file, String source) throws IOException {
    loadLibrary();
    try {
      return new Hdf5File(H5.H5Fopen(file.toString(), HDF5Constants.H5F_ACC_RDONLY, Lib.DEFAULT),
          source, -1, -1);
    } catch (HDF5Exception e) {
      throw new IOException(source + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Creates a new, empty file (an existing one is replaced). Objects are written without
   * modification times, so the same content gives the same bytes (a saved model's bytes key the
   * executors' model cache); Keras reads such files as any other.
   */
  public static Hdf5File create(Path file, String source) throws IOException {
    loadLibrary();
    long fcpl = -1;
    long gcpl = -1;
    long dcpl = -1;
    try {
      fcpl = untimed(HDF5Constants.H5P_FILE_CREATE);
      gcpl = untimed(HDF5Constants.H5P_GROUP_CREATE);
      dcpl = untimed(HDF5Constants.H5P_DATASET_CREATE);
      Hdf5File f = new Hdf5File(H5.H5Fcreate(file.toString(), HDF5Constants.H5F_ACC_TRUNC, fcpl,
          Lib.DEFAULT), source, gcpl, dcpl);
      gcpl = -1;
      dcpl = -1;
      return f;
    } catch (HDF5Exception e) {
      throw new IOException(source + ": cannot create HDF5 file (" + e.getMessage() + ")", e);
    } finally {
      closeAll(fcpl, gcpl, dcpl);
    }
  }

  private static long untimed(long propertyClass) throws HDF5Exception {
    long p = H5.H5Pcreate(propertyClass);
    H5.H5Pset_obj_track_times(p, false);
    return p;
  }

  /**
   * Loads the native library once per JVM. JavaCPP extracts and loads it; the HDF Group's class
   * then also tries {@code System.loadLibrary}, fails harmlessly (the library is already bound)
   * and prints that failure, and JavaCPP warns that the preset was built with an older JavaCPP:
   * both are kept off stderr.
   */
  static void loadLibrary() throws IOException {
    if (loaded) {
      return;
    }
    synchronized (Hdf5File.class) {
      if (loaded) {
        return;
      }
      PrintStream err = System.err;
      try {
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        org.bytedeco.javacpp.Loader.load(org.bytedeco.hdf5.hdf5_java.class);
        H5.H5open();
        if (Lib.DEFAULT != HDF5Constants.H5P_DEFAULT) { // initialises the constants in here too
          throw new IllegalStateException("HDF5 constants did not initialise");
        }
        loaded = true;
      } catch (HDF5Exception | LinkageError e) {
        throw new IOException("the HDF5 library (org.bytedeco:hdf5) did not load: " + e, e);
      } finally {
        System.setErr(err);
      }
    }
  }

  // ---- structure -----------------------------------------------------------------------------

  /** Whether an object (group or dataset) exists at {@code path}; every parent must exist too. */
  public boolean exists(String path) throws IOException {
    if (path.isEmpty() || path.equals("/")) {
      return true;
    }
    String[] parts = path.split("/");
    StringBuilder p = new StringBuilder();
    try {
      for (String part : parts) {
        if (part.isEmpty()) {
          continue;
        }
        if (p.length() > 0) {
          p.append('/');
        }
        p.append(part);
        if (!H5.H5Lexists(fid, p.toString(), Lib.DEFAULT)) {
          return false;
        }
      }
      return true;
    } catch (HDF5Exception e) {
      throw error("cannot look up '" + path + "'", e);
    }
  }

  /** Whether {@code path} exists and is a group. */
  public boolean isGroup(String path) throws IOException {
    if (!exists(path)) {
      return false;
    }
    try {
      return H5.H5Oget_info_by_name(fid, root(path), Lib.DEFAULT).type
          == HDF5Constants.H5O_TYPE_GROUP;
    } catch (HDF5Exception e) {
      throw error("cannot read object '" + path + "'", e);
    }
  }

  /** The names of a group's members, in name order (as h5py lists them). */
  public List<String> children(String group) throws IOException {
    long gid = -1;
    try {
      gid = H5.H5Gopen(fid, root(group), Lib.DEFAULT);
      H5G_info_t info = H5.H5Gget_info(gid);
      List<String> out = new ArrayList<>();
      for (long i = 0; i < info.nlinks; i++) {
        out.add(H5.H5Lget_name_by_idx(gid, ".", HDF5Constants.H5_INDEX_NAME,
            HDF5Constants.H5_ITER_INC, i, Lib.DEFAULT));
      }
      return out;
    } catch (HDF5Exception e) {
      throw error("cannot list group '" + group + "'", e);
    } finally {
      closeObject(gid);
    }
  }

  // ---- attributes ----------------------------------------------------------------------------

  /** Whether the object at {@code path} has attribute {@code name}. */
  public boolean hasAttribute(String path, String name) throws IOException {
    long oid = -1;
    try {
      oid = H5.H5Oopen(fid, root(path), Lib.DEFAULT);
      return H5.H5Aexists(oid, name);
    } catch (HDF5Exception e) {
      throw error("cannot open '" + path + "'", e);
    } finally {
      closeObject(oid);
    }
  }

  /**
   * A string attribute's values: one for a scalar, one per element for an array; variable- and
   * fixed-length strings (h5py writes {@code str} as the first, numpy {@code bytes} arrays as the
   * second).
   */
  public List<String> readStrings(String path, String name) throws IOException {
    long oid = -1;
    long aid = -1;
    long tid = -1;
    long sid = -1;
    try {
      oid = H5.H5Oopen(fid, root(path), Lib.DEFAULT);
      aid = H5.H5Aopen(oid, name, Lib.DEFAULT);
      tid = H5.H5Aget_type(aid);
      sid = H5.H5Aget_space(aid);
      int n = (int) H5.H5Sget_simple_extent_npoints(sid);
      if (n == 0) {
        return List.of(); // an empty list, whatever its element type (h5py writes [] as float64)
      }
      if (H5.H5Tget_class(tid) != HDF5Constants.H5T_STRING) {
        throw new IOException(source + ": attribute '" + name + "' of '" + path
            + "' is not a string");
      }
      List<String> out = new ArrayList<>(n);
      if (H5.H5Tis_variable_str(tid)) {
        String[] s = new String[n];
        H5.H5Aread_VLStrings(aid, tid, s);
        for (String x : s) {
          out.add(x == null ? "" : x);
        }
      } else {
        int size = (int) H5.H5Tget_size(tid);
        byte[] raw = new byte[size * n];
        H5.H5Aread(aid, tid, raw);
        for (int i = 0; i < n; i++) {
          int end = i * size;
          while (end < (i + 1) * size && raw[end] != 0) {
            end++;
          }
          out.add(new String(raw, i * size, end - i * size, StandardCharsets.UTF_8).trim());
        }
      }
      return out;
    } catch (HDF5Exception e) {
      throw error("cannot read attribute '" + name + "' of '" + path + "'", e);
    } finally {
      closeAll(sid, tid, aid, oid);
    }
  }

  /** A scalar string attribute ({@link #readStrings}'s only value). */
  public String readString(String path, String name) throws IOException {
    List<String> s = readStrings(path, name);
    if (s.size() != 1) {
      throw new IOException(source + ": attribute '" + name + "' of '" + path
          + "': expected one string, found " + s.size());
    }
    return s.get(0);
  }

  /** Writes a scalar variable-length UTF-8 string attribute, as h5py does for a {@code str}. */
  public void writeString(String path, String name, String value) throws IOException {
    long oid = -1;
    long tid = -1;
    long sid = -1;
    long aid = -1;
    try {
      oid = H5.H5Oopen(fid, root(path), Lib.DEFAULT);
      tid = H5.H5Tcopy(HDF5Constants.H5T_C_S1);
      H5.H5Tset_size(tid, HDF5Constants.H5T_VARIABLE);
      H5.H5Tset_cset(tid, HDF5Constants.H5T_CSET_UTF8);
      sid = H5.H5Screate(HDF5Constants.H5S_SCALAR);
      aid = H5.H5Acreate(oid, name, tid, sid, Lib.DEFAULT, Lib.DEFAULT);
      H5.H5Awrite_VLStrings(aid, tid, new String[] {value});
    } catch (HDF5Exception e) {
      throw error("cannot write attribute '" + name + "' of '" + path + "'", e);
    } finally {
      closeAll(aid, sid, tid, oid);
    }
  }

  // ---- datasets ------------------------------------------------------------------------------

  /**
   * A numeric dataset as float32. Stored float32/float64/integers are converted by the library;
   * float16 and bfloat16 (an opaque 2-byte type, as h5py stores {@code ml_dtypes.bfloat16}, which
   * Keras marks with a {@code dtype="bfloat16"} attribute) are widened here, exactly.
   */
  public Array readFloats(String path) throws IOException {
    long did = -1;
    long tid = -1;
    long sid = -1;
    try {
      did = H5.H5Dopen(fid, root(path), Lib.DEFAULT);
      tid = H5.H5Dget_type(did);
      sid = H5.H5Dget_space(did);
      int rank = H5.H5Sget_simple_extent_ndims(sid);
      long[] dims = new long[rank];
      if (rank > 0) {
        H5.H5Sget_simple_extent_dims(sid, dims, null);
      }
      int[] shape = new int[rank];
      long count = 1;
      for (int i = 0; i < rank; i++) {
        shape[i] = Math.toIntExact(dims[i]);
        count *= dims[i];
      }
      if (count > Integer.MAX_VALUE) {
        throw new IOException(source + ": dataset '" + path + "' has " + count
            + " values, more than one array holds");
      }
      int n = (int) count;
      int cls = H5.H5Tget_class(tid);
      long size = H5.H5Tget_size(tid);
      boolean bigEndian = cls != HDF5Constants.H5T_OPAQUE
          && H5.H5Tget_order(tid) == HDF5Constants.H5T_ORDER_BE;
      float[] out = new float[n];
      if (cls == HDF5Constants.H5T_OPAQUE && size == 2) {
        if (!isBfloat16(did, tid)) {
          throw new IOException(source + ": dataset '" + path + "' has an opaque 2-byte type "
              + "with tag '" + H5.H5Tget_tag(tid) + "' and no dtype=\"bfloat16\" attribute");
        }
        widen(readRaw(did, tid, n * 2), out, false, true);
        return new Array(shape, out, "bfloat16");
      }
      if (cls == HDF5Constants.H5T_FLOAT && size == 2) {
        widen(readRaw(did, tid, n * 2), out, bigEndian, false);
        return new Array(shape, out, "float16");
      }
      if (cls == HDF5Constants.H5T_FLOAT || cls == HDF5Constants.H5T_INTEGER) {
        if (n > 0) {
          H5.H5Dread(did, HDF5Constants.H5T_NATIVE_FLOAT, HDF5Constants.H5S_ALL,
              HDF5Constants.H5S_ALL, Lib.DEFAULT, out);
        }
        String type = (cls == HDF5Constants.H5T_FLOAT ? "float" : "int") + (size * 8);
        return new Array(shape, out, type);
      }
      throw new IOException(source + ": dataset '" + path + "' is not numeric (HDF5 type class "
          + cls + ", " + size + " bytes)");
    } catch (HDF5Exception e) {
      throw error("cannot read dataset '" + path + "'", e);
    } finally {
      closeAll(sid, tid, did);
    }
  }

  /** A scalar integer dataset (Keras's optimizer {@code iterations}). */
  public long readLong(String path) throws IOException {
    long did = -1;
    long tid = -1;
    try {
      did = H5.H5Dopen(fid, root(path), Lib.DEFAULT);
      tid = H5.H5Dget_type(did);
      if (H5.H5Tget_class(tid) != HDF5Constants.H5T_INTEGER) {
        return (long) readFloats(path).values()[0];
      }
      long[] v = new long[1];
      H5.H5Dread(did, HDF5Constants.H5T_NATIVE_INT64, HDF5Constants.H5S_ALL,
          HDF5Constants.H5S_ALL, Lib.DEFAULT, v);
      return v[0];
    } catch (HDF5Exception e) {
      throw error("cannot read dataset '" + path + "'", e);
    } finally {
      closeAll(tid, did);
    }
  }

  private boolean isBfloat16(long did, long tid) throws HDF5Exception {
    String tag = H5.H5Tget_tag(tid);
    if (tag != null && tag.toLowerCase(java.util.Locale.ROOT).contains("bfloat16")) {
      return true;
    }
    if (!H5.H5Aexists(did, "dtype")) {
      return false;
    }
    long aid = H5.H5Aopen(did, "dtype", Lib.DEFAULT);
    long atid = -1;
    try {
      atid = H5.H5Aget_type(aid);
      if (H5.H5Tget_class(atid) != HDF5Constants.H5T_STRING || !H5.H5Tis_variable_str(atid)) {
        return false;
      }
      String[] s = new String[1];
      H5.H5Aread_VLStrings(aid, atid, s);
      return "bfloat16".equals(s[0]);
    } finally {
      closeAll(atid, aid);
    }
  }

  private static byte[] readRaw(long did, long tid, int bytes) throws HDF5Exception {
    byte[] raw = new byte[bytes];
    if (bytes > 0) {
      H5.H5Dread(did, tid, HDF5Constants.H5S_ALL, HDF5Constants.H5S_ALL, Lib.DEFAULT, raw);
    }
    return raw;
  }

  /** 2-byte floats to float32: IEEE half ({@code bfloat16 = false}) or bfloat16. */
  static void widen(byte[] raw, float[] out, boolean bigEndian, boolean bfloat16) {
    ByteBuffer b = ByteBuffer.wrap(raw).order(bigEndian ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < out.length; i++) {
      int h = b.getShort(2 * i) & 0xffff;
      out[i] = bfloat16 ? Float.intBitsToFloat(h << 16) : halfToFloat(h);
    }
  }

  /** IEEE 754 binary16 to float32, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Creates a group (its parent must exist). */
  public void createGroup(String path) throws IOException {
    try {
      H5.H5Gclose(H5.H5Gcreate(fid, root(path), Lib.DEFAULT, groupProps, Lib.DEFAULT));
    } catch (HDF5Exception e) {
      throw error("cannot create group '" + path + "'", e);
    }
  }

  /** Writes a little-endian float32 dataset of {@code shape} (rank 0 = a scalar). */
  public void writeFloats(String path, int[] shape, float[] values) throws IOException {
    write(path, shape, HDF5Constants.H5T_IEEE_F32LE, HDF5Constants.H5T_NATIVE_FLOAT, values);
  }

  /** Writes a little-endian int32 scalar (Keras's optimizer {@code iterations}). */
  public void writeIntScalar(String path, int value) throws IOException {
    write(path, new int[0], HDF5Constants.H5T_STD_I32LE, HDF5Constants.H5T_NATIVE_INT32,
        new int[] {value});
  }

  /**
   * Writes an integer dataset of {@code shape}: little-endian int32 as Keras stores its
   * {@code "int"} variables, int64 when a value does not fit (e.g. a count past 2^31 rows).
   */
  public void writeInts(String path, int[] shape, long[] values) throws IOException {
    int[] ints = new int[values.length];
    for (int i = 0; i < ints.length; i++) {
      if (values[i] != (int) values[i]) {
        write(path, shape, HDF5Constants.H5T_STD_I64LE, HDF5Constants.H5T_NATIVE_INT64, values);
        return;
      }
      ints[i] = (int) values[i];
    }
    write(path, shape, HDF5Constants.H5T_STD_I32LE, HDF5Constants.H5T_NATIVE_INT32, ints);
  }

  private void write(String path, int[] shape, long fileType, long memType, Object values)
      throws IOException {
    long sid = -1;
    long did = -1;
    try {
      if (shape.length == 0) {
        sid = H5.H5Screate(HDF5Constants.H5S_SCALAR);
      } else {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
          dims[i] = shape[i];
        }
        sid = H5.H5Screate_simple(shape.length, dims, null);
      }
      did = H5.H5Dcreate(fid, root(path), fileType, sid, Lib.DEFAULT, datasetProps, Lib.DEFAULT);
      if (java.lang.reflect.Array.getLength(values) > 0) {
        H5.H5Dwrite(did, memType, HDF5Constants.H5S_ALL, HDF5Constants.H5S_ALL, Lib.DEFAULT, values);
      }
    } catch (HDF5Exception e) {
      throw error("cannot write dataset '" + path + "'", e);
    } finally {
      closeAll(did, sid);
    }
  }

  // ---- handles -------------------------------------------------------------------------------

  private static String root(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  private IOException error(String what, HDF5Exception e) {
    return new IOException(source + ": " + what + " (" + e.getMessage() + ")", e);
  }

  private static void closeObject(long id) {
    if (id >= 0) {
      try {
        H5.H5Oclose(id);
      } catch (HDF5Exception ignored) {
        // closing after an error: the first error is the one reported
      }
    }
  }

  /** Closes HDF5 identifiers of any kind (dataset, type, space, attribute, object). */
  private static void closeAll(long... ids) {
    for (long id : ids) {
      if (id < 0) {
        continue;
      }
      try {
        H5.H5Idec_ref(id);
      } catch (HDF5Exception ignored) {
        // closing after an error: the first error is the one reported
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(groupProps, datasetProps);
    try {
      H5.H5Fclose(fid);
    } catch (HDF5Exception e) {
      throw error("cannot close", e);
    }
  }
}
