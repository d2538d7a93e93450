package io.sparkeras.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One reference case written by real Keras 3 ({@code src/test/keras3/refs.py}): the model's
 * {@code to_json()}, its weights, an input batch and what Keras's {@code predict} returned.
 * {@link #check()} rebuilds the model here from the JSON, sets Keras's weights, predicts and
 * compares every output value.
 *
 * <pre>{@code
 * KerasReference.load("conv1d_same").check();              // 1e-5 relative, see check(double)
 * }</pre>
 *
 * <p>Each check appends its largest error to {@code target/keras-reference-errors.tsv}, the
 * figure the Keras-compatibility notes quote.
 */
public final class KerasReference {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FOLDER = "/keras3/layers/";

  private final String name;
  private final JsonNode doc;

  private KerasReference(String name, JsonNode doc) {
    this.name = name;
    this.doc = doc;
  }

  /** Reads {@code src/test/resources/keras3/layers/<name>.json}. */
  public static KerasReference load(String name) {
    try (InputStream in = KerasReference.class.getResourceAsStream(FOLDER + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no Keras reference case '" + name + "' under "
            + FOLDER + " (make it with a src/test/keras3/make_*.py script)");
      }
      return new KerasReference(name, JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a case in the same format from any test resource, e.g. the file-format cases'
   * {@code /keras3/files/<name>.io.json} (inputs and Keras's outputs; no model or weights).
   */
  public static KerasReference ofResource(String resource) {
    try (InputStream in = KerasReference.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      JsonNode doc = JSON.readTree(in);
      return new KerasReference(doc.get("name").asText(), doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A field of the case's JSON document (e.g. {@code after_step} of an optimizer case). */
  public JsonNode field(String name) {
    return doc.get(name);
  }

  /** An array field ({@code [{"shape", "values"}, ...]}) as arrays. */
  public List<NDArray> arraysOf(String field) {
    return arrays(field);
  }

  public String name() {
    return name;
  }

  /** The model's Keras {@code to_json()} document. */
  public String modelJson() {
    return doc.get("model").toString();
  }

  /** Further expected values the script stored ({@code case(..., extra=...)}), or null. */
  public JsonNode extra() {
    return doc.get("extra");
  }

  /** Keras's weight values, in {@code model.weights} order. */
  public List<float[]> weights() {
    return values("weights");
  }

  /** Keras's variable paths ({@code dense/kernel}), in {@code model.weights} order. */
  public List<String> weightPaths() {
    List<String> out = new ArrayList<>();
    doc.get("weights").forEach(w -> out.add(w.get("path").asText()));
    return out;
  }

  public List<NDArray> inputs() {
    return arrays("inputs");
  }

  public List<NDArray> outputs() {
    return arrays("outputs");
  }

  /** The model rebuilt here from Keras's JSON, with Keras's weights. */
  public Model model() {
    Model m = Model.fromJson(modelJson());
    setWeights(m);
    return m;
  }

  /** Sets Keras's weights on a model built here, checking count and every shape. */
  public void setWeights(Model m) {
    List<Variable> ours = m.weights();
    JsonNode theirs = doc.get("weights");
    if (ours.size() != theirs.size()) {
      fail(name + ": Keras has " + theirs.size() + " weights " + weightPaths() + ", ours "
          + ours.size() + " " + ours.stream().map(Variable::path).toList());
    }
    for (int i = 0; i < ours.size(); i++) {
      int[] shape = ints(theirs.get(i).get("shape"));
      assertArrayEquals(shape, ours.get(i).shape(), name + ": shape of weight " + i + " ("
          + theirs.get(i).get("path").asText() + " vs " + ours.get(i).path() + ")");
      ours.get(i).assign(floats(theirs.get(i).get("values")));
    }
  }

  /** {@link #check(double)} at 1e-5 relative. */
  public double check() {
    return check(1e-5);
  }

  /**
   * Predicts Keras's inputs with {@link #model()} and compares every output value with
   * {@code |ours - keras| <= tolerance * max(1, |keras|)}; returns the largest error seen
   * (relative above 1 in magnitude, absolute below).
   */
  public double check(double tolerance) {
    return check(model(), tolerance);
  }

  /**
   * {@link #check()} on the model after a trip through Sparkeras's own config: rebuilt from
   * Keras's JSON, written with {@code toJson()}, read back, given Keras's weights. Checks that
   * what Sparkeras writes describes the same model.
   */
  public double checkJsonRoundTrip() {
    Model again = Model.fromJson(model().toJson());
    setWeights(again);
    return check(again, 1e-5);
  }

  /** Like {@link #check(double)} on a model the caller prepared (loaded from a file, say). */
  public double check(Model m, double tolerance) {
    List<NDArray> x = inputs();
    List<NDArray> expected = outputs();
    List<NDArray> got = m.predictAll(x, x.get(0).length());
    assertEquals(expected.size(), got.size(), name + ": number of outputs");
    double worst = 0;
    for (int o = 0; o < expected.size(); o++) {
      worst = Math.max(worst, compare("output " + o, expected.get(o), got.get(o), tolerance));
    }
    record(worst);
    return worst;
  }

  /**
   * Compares one array with Keras's output {@code output} ({@code |ours - keras| <= tolerance *
   * max(1, |keras|)}), for values computed some other way than {@link #check} (a mask, a subset
   * of the outputs); records and returns the largest error.
   */
  public double checkOutput(int output, NDArray ours, double tolerance) {
    double worst = compare("output " + output, outputs().get(output), ours, tolerance);
    record(worst);
    return worst;
  }

  /**
   * Compares an array with one the script stored under {@code extra} (a {@code {"shape",
   * "values"}} object), like {@link #checkOutput}; records and returns the largest error.
   */
  public double checkExtra(String what, JsonNode array, NDArray ours, double tolerance) {
    int[] shape = ints(array.get("shape"));
    float[] v = floats(array.get("values"));
    double worst = compare(what, shape.length == 0 ? NDArray.of(v, 1) : NDArray.of(v, shape), ours,
        tolerance);
    record(worst);
    return worst;
  }

  private double compare(String what, NDArray expected, NDArray got, double tolerance) {
    assertArrayEquals(expected.shape(), got.shape(), name + ": shape of " + what);
    float[] e = expected.toArray();
    float[] g = got.toArray();
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      double err = Math.abs((double) g[i] - e[i]) / Math.max(1.0, Math.abs(e[i]));
      if (!(err <= tolerance)) {
        fail(name + ": " + what + " value " + i + " (index " + Arrays.toString(
            unravel(i, expected.shape())) + "): Keras " + e[i] + ", ours " + g[i]
            + " (error " + err + " > " + tolerance + ")");
      }
      worst = Math.max(worst, err);
    }
    return worst;
  }


  /** Appends a check's largest error to the figures file (for checks other than predictions). */
  public void record(double worst) {
    try {
      Path target = Path.of("target");
      if (Files.isDirectory(target)) {
        Files.writeString(target.resolve("keras-reference-errors.tsv"), name + "\t" + worst + "\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } catch (IOException ignored) {
      // a figure for the notes only; the check itself has passed
    }
  }

  private List<float[]> values(String field) {
    List<float[]> out = new ArrayList<>();
    doc.get(field).forEach(w -> out.add(floats(w.get("values"))));
    return out;
  }

  private List<NDArray> arrays(String field) {
    List<NDArray> out = new ArrayList<>();
    for (JsonNode a : doc.get(field)) {
      int[] shape = ints(a.get("shape"));
      float[] v = floats(a.get("values"));
      out.add(shape.length == 0 ? NDArray.of(v, 1) : NDArray.of(v, shape));
    }
    return out;
  }

  private static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
      flat = shape[d] == 0 ? 0 : flat / shape[d];
    }
    return idx;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  /** A JSON array of numbers as floats. */
  public static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
