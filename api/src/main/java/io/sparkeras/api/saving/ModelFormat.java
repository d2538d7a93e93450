package io.sparkeras.api.saving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.core.fs.AtomicWrite;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Models as Keras configs ({@code to_json()}, {@code compile_config}) and Sparkeras's earlier
 * model file, which {@code Model.load} still reads ({@code Model.save} writes Keras 3's
 * {@code .keras}, {@code io.sparkeras.api.saving.keras}): a zip holding {@code config.json} (the
 * model's Keras 3 {@code to_json()} plus its {@code compile_config}), {@code metadata.json} and
 * {@code model.safetensors} (every weight as little-endian float32, keyed
 * {@code "<index>:<layer>/<weight>"}; index = position in {@code model.weights()}). Written
 * through the Hadoop FileSystem API to a temporary name and renamed into place
 * ({@link AtomicWrite}), so readers never see a partial file. No Java serialization.
 *
 * <pre>{@code
 * String json = ModelFormat.toJson(model);
 * ModelFormat.save(model, "hdfs://nn/models/fmnist.sparkeras");   // the earlier format
 * Model m = Model.load("hdfs://nn/models/fmnist.sparkeras");       // reads either
 * }</pre>
 */
public final class ModelFormat {
  /** Version of this container format. */
  public static final int FORMAT_VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper();

  private ModelFormat() {}

  // ---- JSON --------------------------------------------------------------------------------

  /** Keras 3 {@code model.to_json()}. */
  public static String toJson(Model model) {
    try {
      return JSON.writeValueAsString(serializeModel(model));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rebuilds a model from Keras {@code to_json()} text. */
  @SuppressWarnings("unchecked")
  public static Model fromJson(String json) {
    Map<String, Object> m;
    try {
      m = JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("model JSON does not parse: " + e.getOriginalMessage(), e);
    }
    return ModelConfigs.deserializeModel(m);
  }

  /** Rebuilds a model from its parsed Keras {@code serialize_keras_object} form. */
  public static Model fromConfig(Map<String, Object> serialized) {
    return ModelConfigs.deserializeModel(serialized);
  }

  /** The model's {@code {module, class_name, config, registered_name, build_config}} object. */
  public static Map<String, Object> serializeModel(Model model) {
    return ModelConfigs.serializeModel(model);
  }

  /** The {@code config} part of a model's serialisation. */
  public static Map<String, Object> modelConfig(Model model) {
    return ModelConfigs.modelConfig(model);
  }

  // ---- compile config ------------------------------------------------------------------------

  /** Keras's {@code compile_config} of a compiled model; null if it is not compiled. */
  public static Map<String, Object> compileConfig(Model model) {
    if (!model.isCompiled()) {
      return null;
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("optimizer", Optimizer.REGISTRY.serialize(model.getOptimizer()));
    List<Loss> losses = model.getLosses();
    if (losses.size() == 1) {
      c.put("loss", Loss.REGISTRY.serialize(losses.get(0)));
    } else {
      List<Object> l = new ArrayList<>();
      for (Loss x : losses) {
        l.add(Loss.REGISTRY.serialize(x));
      }
      c.put("loss", l);
    }
    List<Object> metrics = new ArrayList<>();
    for (Metric m : model.getCompiledMetrics()) {
      metrics.add(m.compileAlias() != null ? m.compileAlias() : Metric.REGISTRY.serialize(m));
    }
    c.put("metrics", metrics);
    c.put("loss_weights", null);
    c.put("weighted_metrics", null);
    c.put("run_eagerly", false);
    c.put("steps_per_execution", 1);
    c.put("jit_compile", false);
    return c;
  }

  /** Compiles {@code model} from Keras's {@code compile_config} (null or empty: left as it is). */
  @SuppressWarnings("unchecked")
  public static void applyCompileConfig(Model model, Map<String, Object> c) {
    if (c == null || c.isEmpty()) {
      return;
    }
    Optimizer opt = Optimizer.REGISTRY.deserialize(c.get("optimizer"));
    Object lossCfg = c.get("loss");
    List<Loss> losses = new ArrayList<>();
    if (lossCfg instanceof List) {
      for (Object o : (List<Object>) lossCfg) {
        losses.add(Loss.REGISTRY.deserialize(o));
      }
    } else {
      Loss l = Loss.REGISTRY.deserialize(lossCfg);
      int outs = model.outputShapes() == null ? 1 : model.outputShapes().size();
      for (int i = 0; i < outs; i++) {
        losses.add(l);
      }
    }
    List<Metric> metrics = new ArrayList<>();
    Object ms = c.get("metrics");
    if (ms instanceof List) {
      for (Object o : (List<Object>) ms) {
        metrics.add(o instanceof String ? io.sparkeras.api.metrics.Metrics.get((String) o)
            : Metric.REGISTRY.deserialize(o));
      }
    }
    model.compile(opt, losses, metrics);
  }

  // ---- files and streams ---------------------------------------------------------------------

  /**
   * Saves in the earlier format, atomically ({@link AtomicWrite}); an existing file at
   * {@code path} is replaced.
   */
  public static void save(Model model, String path) throws IOException {
    Map<String, byte[]> entries = entries(model);
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(new Configuration());
    fs.setWriteChecksum(false);
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> writeZip(entries, out));
  }

  /** Writes a file in the earlier format to {@code out}, which stays open. */
  public static void write(Model model, OutputStream out) throws IOException {
    writeZip(entries(model), out);
  }

  /** The file's entries, in order; made before anything is written. */
  private static Map<String, byte[]> entries(Model model) throws IOException {
    Map<String, Object> config = new LinkedHashMap<>(serializeModel(model));
    Map<String, Object> compile = compileConfig(model);
    if (compile != null) {
      config.put("compile_config", compile);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "sparkeras");
    meta.put("format_version", FORMAT_VERSION);
    meta.put("keras_version", "3");
    meta.put("date_saved", Instant.now().toString());
    meta.put("backend", io.sparkeras.api.backend.Backends.current().name());
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("metadata.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
    entries.put("config.json", JSON.writeValueAsBytes(config));
    entries.put("model.safetensors", Safetensors.write(model.weights()));
    return entries;
  }

  private static void writeZip(Map<String, byte[]> entries, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      zip.putNextEntry(new ZipEntry(e.getKey()));
      zip.write(e.getValue());
      zip.closeEntry();
    }
    zip.finish();
    zip.flush();
  }

  /**
   * A model from the entries of a file in this format ({@code config.json},
   * {@code metadata.json}, {@code model.safetensors}); {@code ModelFiles} reads the zip and tells
   * this format from Keras's by its entries. {@code source} names the file in messages.
   */
  @SuppressWarnings("unchecked")
  public static Model fromEntries(byte[] config, byte[] meta, byte[] weights, String source)
      throws IOException {
    if (config == null || weights == null || meta == null) {
      throw new IOException(source + " is not a Sparkeras model file (expected a zip with "
          + "config.json, metadata.json and model.safetensors)");
    }
    Map<String, Object> metaMap = JSON.readValue(meta, Map.class);
    Object v = metaMap.get("format_version");
    if (!(v instanceof Number) || ((Number) v).intValue() > FORMAT_VERSION) {
      throw new IOException(source + ": format_version " + v + " is newer than this Sparkeras "
          + "reads (" + FORMAT_VERSION + ")");
    }
    Map<String, Object> cfg = JSON.readValue(config, Map.class);
    Model model = ModelConfigs.deserializeModel(cfg);
    Safetensors.read(weights, model.weights(), source);
    applyCompileConfig(model, (Map<String, Object>) cfg.get("compile_config"));
    return model;
  }
}
