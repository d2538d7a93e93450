package io.sparkeras.api.saving;

import io.sparkeras.api.layers.Variable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (8-byte little-endian header length, a JSON header of
 * {@code {name: {dtype, shape, data_offsets}}}, then raw little-endian data), for float32
 * weights.
 */
final class Safetensors {
  private Safetensors() {}

  static String key(int index, Variable v) {
    return String.format("%04d:%s", index, v.path());
  }

  static byte[] write(List<Variable> vars) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    List<float[]> values = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      float[] data = v.numpy();
      values.add(data);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", v.shape());
      entry.put("data_offsets", new long[] {offset, offset + 4L * data.length});
      header.put(key(i, v), entry);
      offset += 4L * data.length;
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "sparkeras");
    header.put("__metadata__", meta);
    byte[] h = ModelFormat.JSON.writeValueAsBytes(header);
    int pad = (8 - h.length % 8) % 8;
    byte[] hp = Arrays.copyOf(h, h.length + pad);
    Arrays.fill(hp, h.length, hp.length, (byte) ' ');
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + hp.length + offset))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(hp.length);
    out.put(hp);
    for (float[] d : values) {
      for (float f : d) {
        out.putFloat(f);
      }
    }
    return out.array();
  }

  @SuppressWarnings("unchecked")
  static void read(byte[] file, List<Variable> vars, String source) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (file.length < 8) {
      throw new IOException(source + ": weights file is truncated");
    }
    long headerLen = in.getLong();
    if (headerLen < 2 || 8 + headerLen > file.length) {
      throw new IOException(source + ": weights header length " + headerLen + " is out of range");
    }
    Map<String, Object> header = ModelFormat.JSON.readValue(
        new String(file, 8, (int) headerLen, StandardCharsets.UTF_8), Map.class);
    header.remove("__metadata__");
    if (header.size() != vars.size()) {
      throw new IOException(source + ": the model has " + vars.size() + " weights, the file "
          + header.size());
    }
    int dataStart = (int) (8 + headerLen);
    Map<Integer, String> byIndex = new LinkedHashMap<>();
    for (String k : header.keySet()) {
      int colon = k.indexOf(':');
      try {
        byIndex.put(Integer.parseInt(k.substring(0, colon)), k);
      } catch (RuntimeException e) {
        throw new IOException(source + ": unexpected weight key '" + k + "'");
      }
    }
    for (int i = 0; i < vars.size(); i++) {
      Variable v = vars.get(i);
      String k = byIndex.get(i);
      if (k == null) {
        throw new IOException(source + ": no weight number " + i + " (" + v.path() + ")");
      }
      Map<String, Object> e = (Map<String, Object>) header.get(k);
      List<Number> shape = (List<Number>) e.get("shape");
      int[] s = new int[shape.size()];
      for (int j = 0; j < s.length; j++) {
        s[j] = shape.get(j).intValue();
      }
      if (!"F32".equals(e.get("dtype")) || !Arrays.equals(s, v.shape())) {
        throw new IOException(source + ": weight " + i + " '" + k + "' has " + e.get("dtype")
            + Arrays.toString(s) + ", the model's '" + v.path() + "' needs F32"
            + Arrays.toString(v.shape()));
      }
      List<Number> offs = (List<Number>) e.get("data_offsets");
      long begin = offs.get(0).longValue();
      long end = offs.get(1).longValue();
      if (begin < 0 || end - begin != 4L * v.size() || dataStart + end > file.length) {
        throw new IOException(source + ": weight '" + k + "' has data offsets out of range");
      }
      float[] data = new float[v.size()];
      ByteBuffer slice = ByteBuffer.wrap(file, (int) (dataStart + begin), (int) (end - begin))
          .order(ByteOrder.LITTLE_ENDIAN);
      slice.asFloatBuffer().get(data);
      v.assign(data);
    }
  }
}
