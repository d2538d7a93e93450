package io.sparkeras.api.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.layers.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The preprocessing cases real Keras 3.10 wrote ({@code src/test/keras3/make_preprocessing.py},
 * {@code resources/keras3/preprocessing/cases.json}): each a layer's config, what it was adapted
 * on and learned, the random draws of an augmentation layer, inputs and Keras's outputs.
 *
 * <pre>{@code
 * KerasPreprocessingCases.Case c = KerasPreprocessingCases.get("rescaling");
 * PreprocessingLayer layer = c.layer();                 // rebuilt from Keras's config
 * c.assertOutputs(c.encode(layer, false), 1e-6);
 * }</pre>
 */
final class KerasPreprocessingCases {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Map<String, Case> cases;

  private KerasPreprocessingCases() {}

  static synchronized Map<String, Case> all() {
    if (cases == null) {
      try (InputStream in = KerasPreprocessingCases.class.getResourceAsStream(
          "/keras3/preprocessing/cases.json")) {
        JsonNode doc = JSON.readTree(in);
        cases = new LinkedHashMap<>();
        for (JsonNode c : doc.get("cases")) {
          cases.put(c.get("name").asText(), new Case(c));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cases;
  }

  static Case get(String name) {
    Case c = all().get(name);
    if (c == null) {
      throw new IllegalArgumentException("no Keras preprocessing case '" + name + "'");
    }
    return c;
  }

  /** One array of a case: shape, whether integer, values. */
  record Array(int[] shape, boolean ints, double[] values) {
    static Array of(JsonNode a) {
      int[] shape = new int[a.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = a.get("shape").get(i).asInt();
      }
      double[] v = new double[a.get("values").size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = a.get("values").get(i).asDouble();
      }
      return new Array(shape, a.get("dtype").asText().equals("int"), v);
    }

    int samples() {
      return shape[0];
    }

    int sampleSize() {
      int n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return n;
    }

    /** Sample {@code i} as a host value of its shape. */
    HostValue sample(int i) {
      int[] s = java.util.Arrays.copyOfRange(shape, 1, shape.length);
      HostValue v = new HostValue(ints ? HostValue.Kind.INT : HostValue.Kind.FLOAT);
      if (s.length == 0) {
        s = new int[] {1};
      }
      v.resize(s);
      int n = sampleSize();
      for (int k = 0; k < n; k++) {
        if (ints) {
          v.setInt(k, (long) values[i * n + k]);
        } else {
          v.setFloat(k, (float) values[i * n + k]);
        }
      }
      return v;
    }

    float[] floats() {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return f;
    }
  }

  static final class Case {
    final JsonNode doc;

    Case(JsonNode doc) {
      this.doc = doc;
    }

    String name() {
      return doc.get("name").asText();
    }

    /** Keras's config as plain Java maps and lists. */
    @SuppressWarnings("unchecked")
    Map<String, Object> config() {
      return JSON.convertValue(doc.get("config"), Map.class);
    }

    /** The layer rebuilt from Keras's config through the registry. */
    PreprocessingLayer layer() {
      return layer(config());
    }

    PreprocessingLayer layer(Map<String, Object> config) {
      Map<String, Object> serialized = new LinkedHashMap<>();
      serialized.put("class_name", doc.get("class_name").asText());
      serialized.put("config", config);
      return (PreprocessingLayer) Layer.REGISTRY.deserialize(serialized);
    }

    Array input() {
      return Array.of(doc.get("inputs").get(0));
    }

    Array output() {
      return Array.of(doc.get("outputs").get(0));
    }

    Array adaptData() {
      return doc.get("adapt").isNull() ? null : Array.of(doc.get("adapt"));
    }

    JsonNode state() {
      return doc.get("state");
    }

    JsonNode transformation() {
      return doc.get("transformation");
    }

    /** Encodes every input sample with {@code layer} in the given mode. */
    List<HostValue> encode(PreprocessingLayer layer, boolean training) {
      Array in = input();
      HostContext ctx = new HostContext(training, 0).select(0, layer.seed());
      List<HostValue> outs = new ArrayList<>();
      HostValue.Kind kind = layer.outputKind(List.of(in.ints ? HostValue.Kind.INT
          : HostValue.Kind.FLOAT));
      for (int i = 0; i < in.samples(); i++) {
        HostValue out = new HostValue(kind);
        layer.encode(new HostValue[] {in.sample(i)}, out, ctx);
        outs.add(out);
      }
      return outs;
    }

    /** Compares per-sample outputs with Keras's: {@code |ours - keras| <= tol * max(1, |keras|)}. */
    double assertOutputs(List<HostValue> got, double tol) {
      Array want = output();
      assertEquals(want.samples(), got.size(), name() + ": samples");
      int n = want.sampleSize();
      double worst = 0;
      for (int i = 0; i < got.size(); i++) {
        HostValue g = got.get(i);
        assertEquals(n, g.count(), name() + ": values in sample " + i + " (ours "
            + java.util.Arrays.toString(g.shape()) + ")");
        for (int k = 0; k < n; k++) {
          double e = want.values[i * n + k];
          double o = g.getNumber(k);
          double err = Math.abs(o - e) / Math.max(1, Math.abs(e));
          if (!(err <= tol)) {
            fail(name() + ": sample " + i + " value " + k + ": Keras " + e + ", ours " + o);
          }
          worst = Math.max(worst, err);
        }
      }
      return worst;
    }

    /** Our config equals Keras's: the same keys, numbers equal as float32 or closer. */
    void assertConfig(Layer layer) {
      assertSame(config(), JSON.convertValue(layer.getConfig(), Map.class), name() + ": config");
    }
  }

  static void assertSame(Object keras, Object ours, String where) {
    if (keras instanceof Map && ours instanceof Map) {
      Map<?, ?> k = (Map<?, ?>) keras;
      Map<?, ?> o = (Map<?, ?>) ours;
      assertEquals(new java.util.TreeSet<>(stringKeys(k)), new java.util.TreeSet<>(stringKeys(o)),
          where + ": keys");
      for (Object key : k.keySet()) {
        assertSame(k.get(key), o.get(key), where + "." + key);
      }
    } else if (keras instanceof List && ours instanceof List) {
      List<?> k = (List<?>) keras;
      List<?> o = (List<?>) ours;
      assertEquals(k.size(), o.size(), where + ": length");
      for (int i = 0; i < k.size(); i++) {
        assertSame(k.get(i), o.get(i), where + "[" + i + "]");
      }
    } else if (keras instanceof Number && ours instanceof Number) {
      double a = ((Number) keras).doubleValue();
      double b = ((Number) ours).doubleValue();
      assertTrue(a == b || (float) a == (float) b, where + ": Keras " + a + ", ours " + b);
    } else {
      assertEquals(keras, ours, where);
    }
  }

  private static List<String> stringKeys(Map<?, ?> m) {
    List<String> l = new ArrayList<>();
    for (Iterator<?> it = m.keySet().iterator(); it.hasNext();) {
      l.add(String.valueOf(it.next()));
    }
    return l;
  }
}
