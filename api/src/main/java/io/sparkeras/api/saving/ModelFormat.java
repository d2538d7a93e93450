package io.sparkeras.api.saving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The saved-model file: a zip (like Keras's {@code .keras}) holding {@code config.json} (the
 * model's Keras 3 {@code to_json()} plus its {@code compile_config}), {@code metadata.json} and
 * {@code model.safetensors} (every weight as little-endian float32, keyed
 * {@code "<index>:<layer>/<weight>"}; index = position in {@code model.weights()}). Written
 * through the Hadoop FileSystem API to a temporary name and renamed into place, so readers never
 * see a partial file. No Java serialization.
 *
 * <pre>{@code
 * ModelFormat.save(model, "hdfs://nn/models/fmnist.sparkeras");
 * Model m = ModelFormat.load("hdfs://nn/models/fmnist.sparkeras");
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
      if (m.getClass().getSimpleName().equals("AutoAccuracy")) {
        metrics.add("accuracy");
      } else {
        metrics.add(Metric.REGISTRY.serialize(m));
      }
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

  // ---- files ---------------------------------------------------------------------------------

  /** Saves atomically; an existing file at {@code path} is replaced. */
  public static void save(Model model, String path) throws IOException {
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
    byte[] weights = Safetensors.write(model.weights());

    writeAtomically(path, raw -> {
      ZipOutputStream zip = new ZipOutputStream(raw);
      put(zip, "metadata.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
      put(zip, "config.json", JSON.writeValueAsBytes(config));
      put(zip, "model.safetensors", weights);
      zip.finish();
    });
  }

  /** Writes the bytes of a file to a stream. */
  @FunctionalInterface
  public interface FileWriter {
    void write(java.io.OutputStream out) throws IOException;
  }

  /**
   * Writes a file through the Hadoop FileSystem API to a hidden temporary name beside
   * {@code path} and renames it over {@code path}: readers never see a partial file, and a
   * failed write deletes its temporary and leaves an existing file untouched.
   */
  public static void writeAtomically(String path, FileWriter writer) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(new Configuration());
    fs.setWriteChecksum(false);
    Path parent = target.getParent();
    if (parent != null && !fs.exists(parent)) {
      fs.mkdirs(parent);
    }
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    boolean done = false;
    try {
      try (FSDataOutputStream raw = fs.create(tmp, false)) {
        writer.write(raw);
      }
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("cannot replace existing model file " + target);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      done = true;
    } finally {
      if (!done) {
        fs.delete(tmp, false);
      }
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }

  /** Loads a saved model: architecture, weights and compile settings. */
  @SuppressWarnings("unchecked")
  public static Model load(String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    if (!fs.exists(p)) {
      throw new java.io.FileNotFoundException("no saved model at " + path);
    }
    byte[] config = null;
    byte[] weights = null;
    byte[] meta = null;
    try (InputStream in = fs.open(p); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        byte[] data = zip.readAllBytes();
        switch (e.getName()) {
          case "config.json":
            config = data;
            break;
          case "model.safetensors":
            weights = data;
            break;
          case "metadata.json":
            meta = data;
            break;
          default:
            break;
        }
      }
    }
    if (config == null || weights == null || meta == null) {
      throw new IOException(path + " is not a Sparkeras model file (expected a zip with "
          + "config.json, metadata.json and model.safetensors)");
    }
    Map<String, Object> metaMap = JSON.readValue(meta, Map.class);
    Object v = metaMap.get("format_version");
    if (!(v instanceof Number) || ((Number) v).intValue() > FORMAT_VERSION) {
      throw new IOException(path + ": format_version " + v + " is newer than this Sparkeras "
          + "reads (" + FORMAT_VERSION + ")");
    }
    Map<String, Object> cfg = JSON.readValue(config, Map.class);
    Model model = ModelConfigs.deserializeModel(cfg);
    Safetensors.read(weights, model.weights(), path);
    applyCompileConfig(model, (Map<String, Object>) cfg.get("compile_config"));
    return model;
  }
}
