package io.sparkeras.ps.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of the settings an admin request carries (a job's settings, a Keras optimizer
 * or schedule config): little-endian numbers, length-prefixed UTF-8 strings and byte arrays, and
 * config maps whose values are numbers, booleans, strings, lists and maps (the shapes of a Keras
 * {@code get_config()}), each value tagged. Reading checks every length and tag against what is
 * left and throws an {@link IllegalArgumentException} naming the field, so that a malformed
 * request is refused whole and changes nothing.
 *
 * <pre>{@code
 * WireFields.Writer w = new WireFields.Writer();
 * w.putInt(shards).putString(optimizerName).putConfig(optimizer.getConfig());
 * WireFields.Reader r = new WireFields.Reader(w.toBytes());
 * int shards = r.getInt("shards");
 * }</pre>
 */
public final class WireFields {
  private WireFields() {}

  private static final int MAX_DEPTH = 4;
  private static final int MAX_ITEMS = 4096;
  private static final byte NULL = 0;
  private static final byte NUMBER = 1;
  private static final byte BOOLEAN = 2;
  private static final byte STRING = 3;
  private static final byte LIST = 4;
  private static final byte MAP = 5;

  /** Appends fields to a growing buffer. */
  public static final class Writer {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    private ByteBuffer room(int bytes) {
      if (buf.remaining() < bytes) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes))
            .order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
      return buf;
    }

    public Writer putInt(int v) { room(4).putInt(v); return this; }
    public Writer putLong(long v) { room(8).putLong(v); return this; }
    public Writer putFloat(float v) { room(4).putFloat(v); return this; }
    public Writer putDouble(double v) { room(8).putDouble(v); return this; }

    /** A byte array, or null (length -1). */
    public Writer putBytes(byte[] v) {
      if (v == null) {
        return putInt(-1);
      }
      putInt(v.length);
      room(v.length).put(v);
      return this;
    }

    /** A string (UTF-8), or null. */
    public Writer putString(String v) {
      return putBytes(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
    }

    /** An int array, or null. */
    public Writer putInts(int[] v) {
      if (v == null) {
        return putInt(-1);
      }
      putInt(v.length);
      for (int x : v) {
        putInt(x);
      }
      return this;
    }

    /** A config map (null allowed): numbers, booleans, strings, lists and maps, nested. */
    public Writer putConfig(Map<String, ?> config) {
      putValue(config, 0);
      return this;
    }

    private void putValue(Object v, int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("config nested deeper than " + MAX_DEPTH);
      }
      if (v == null) {
        room(1).put(NULL);
      } else if (v instanceof Number) {
        room(9).put(NUMBER).putDouble(((Number) v).doubleValue());
      } else if (v instanceof Boolean) {
        room(2).put(BOOLEAN).put((byte) ((Boolean) v ? 1 : 0));
      } else if (v instanceof String) {
        room(1).put(STRING);
        putString((String) v);
      } else if (v instanceof List) {
        List<?> l = (List<?>) v;
        room(1).put(LIST);
        putInt(l.size());
        for (Object o : l) {
          putValue(o, depth + 1);
        }
      } else if (v instanceof Map) {
        Map<?, ?> m = (Map<?, ?>) v;
        room(1).put(MAP);
        putInt(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
          putString(String.valueOf(e.getKey()));
          putValue(e.getValue(), depth + 1);
        }
      } else {
        throw new IllegalArgumentException("config value " + v + " of "
            + v.getClass().getName() + ": expected a number, boolean, string, list or map");
      }
    }

    /** The bytes written so far. */
    public byte[] toBytes() {
      byte[] out = new byte[buf.position()];
      buf.duplicate().flip().get(out);
      return out;
    }
  }

  /** Reads fields back, refusing anything that does not fit. */
  public static final class Reader {
    private final ByteBuffer buf;

    public Reader(byte[] bytes) {
      buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer need(int bytes, String field) {
      if (bytes < 0 || buf.remaining() < bytes) {
        throw new IllegalArgumentException(field + ": truncated (" + buf.remaining()
            + " bytes left, " + bytes + " needed)");
      }
      return buf;
    }

    public int getInt(String field) { return need(4, field).getInt(); }
    public long getLong(String field) { return need(8, field).getLong(); }
    public float getFloat(String field) { return need(4, field).getFloat(); }
    public double getDouble(String field) { return need(8, field).getDouble(); }

    public byte[] getBytes(String field) {
      int n = getInt(field);
      if (n == -1) {
        return null;
      }
      need(n, field);
      byte[] out = new byte[n];
      buf.get(out);
      return out;
    }

    public String getString(String field) {
      byte[] b = getBytes(field);
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public int[] getInts(String field) {
      int n = getInt(field);
      if (n == -1) {
        return null;
      }
      need(n < 0 || n > buf.remaining() / 4 ? -1 : 4 * n, field);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = buf.getInt();
      }
      return out;
    }

    /** A config map (or null). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getConfig(String field) {
      Object v = getValue(field, 0);
      if (v != null && !(v instanceof Map)) {
        throw new IllegalArgumentException(field + ": expected a config map, found " + v);
      }
      return (Map<String, Object>) v;
    }

    private Object getValue(String field, int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException(field + ": nested deeper than " + MAX_DEPTH);
      }
      byte tag = need(1, field).get();
      switch (tag) {
        case NULL: return null;
        case NUMBER: return getDouble(field);
        case BOOLEAN: return need(1, field).get() != 0;
        case STRING: return getString(field);
        case LIST: {
          int n = count(field);
          List<Object> l = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            l.add(getValue(field + "[" + i + "]", depth + 1));
          }
          return l;
        }
        case MAP: {
          int n = count(field);
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            String key = getString(field + " key");
            if (key == null) {
              throw new IllegalArgumentException(field + ": null key");
            }
            m.put(key, getValue(field + "." + key, depth + 1));
          }
          return m;
        }
        default:
          throw new IllegalArgumentException(field + ": unknown value tag " + tag);
      }
    }

    private int count(String field) {
      int n = getInt(field);
      if (n < 0 || n > MAX_ITEMS || n > buf.remaining()) {
        throw new IllegalArgumentException(field + ": " + n + " items do not fit");
      }
      return n;
    }

    /** Fails unless every byte was read. */
    public void end(String what) {
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(what + ": " + buf.remaining()
            + " unexpected bytes at the end");
      }
    }
  }
}
