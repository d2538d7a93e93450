package io.sparkeras.api.saving.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.saving.ModelFormat;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Keras 3's {@code .keras} file: a zip of {@code metadata.json}, {@code config.json} (the model's
 * {@code serialize_keras_object} plus {@code compile_config}), {@code model.weights.h5}
 * ({@link KerasWeightsFile}) and the layers' asset files under {@code assets/} (a lookup's
 * vocabulary, {@link LayerState}), entries stored uncompressed in that order, as
 * {@code keras/src/saving/saving_lib.py} writes them, so Python's
 * {@code keras.saving.load_model} reads what this writes and the other way round.
 *
 * <pre>{@code
 * KerasArchive.write(model, out);                  // a compiled model keeps its optimizer state
 * Model m = KerasArchive.read(in, "fmnist.keras", true);
 * }</pre>
 */
public final class KerasArchive {
  /** The entries Keras writes. */
  public static final String CONFIG = "config.json";
  public static final String METADATA = "metadata.json";
  public static final String WEIGHTS = "model.weights.h5";
  /** The weights entry of Sparkeras's earlier zip ({@code ModelFormat}), still read. */
  static final String SPARKERAS_WEIGHTS = "model.safetensors";
  /** The Keras release whose layout this follows, written as {@code keras_version}. */
  public static final String KERAS_VERSION = "3.10.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss");

  private KerasArchive() {}

  /** Writes {@code model} as a {@code .keras} zip to {@code out} (not closed). */
  public static void write(Model model, OutputStream out) throws IOException {
    Map<String, Object> config = new LinkedHashMap<>(ModelFormat.serializeModel(model));
    Map<String, Object> compile = ModelFormat.compileConfig(model);
    config.put("compile_config", compile == null ? Map.of() : compile);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("keras_version", KERAS_VERSION);
    meta.put("date_saved", LocalDateTime.now().format(DATE));
    Path h5 = Files.createTempFile("sparkeras-", ".weights.h5");
    try {
      KerasWeightsFile.write(model, h5, true);
      ZipOutputStream zip = new ZipOutputStream(out);
      storeBytes(zip, METADATA, JSON.writeValueAsBytes(meta));
      storeBytes(zip, CONFIG, JSON.writeValueAsBytes(config));
      storeFile(zip, WEIGHTS, h5);
      for (WeightGroups.Group g : WeightGroups.of(model)) {
        for (Map.Entry<String, byte[]> a : LayerState.assets(g).entrySet()) {
          storeBytes(zip, a.getKey(), a.getValue());
        }
      }
      zip.finish();
    } finally {
      Files.deleteIfExists(h5);
    }
  }

  private static void storeBytes(ZipOutputStream zip, String name, byte[] data)
      throws IOException {
    CRC32 crc = new CRC32();
    crc.update(data);
    zip.putNextEntry(stored(name, data.length, crc.getValue()));
    zip.write(data);
    zip.closeEntry();
  }

  private static void storeFile(ZipOutputStream zip, String name, Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        crc.update(buf, 0, n);
      }
    }
    zip.putNextEntry(stored(name, Files.size(file), crc.getValue()));
    Files.copy(file, zip);
    zip.closeEntry();
  }

  private static ZipEntry stored(String name, long size, long crc) {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc);
    return e;
  }

  /**
   * Reads a {@code .keras} zip: the model from {@code config.json}, its weights, and (with
   * {@code compile}) its compile settings and optimizer state. {@code in} stays open.
   *
   * @param source names the file in error messages
   */
  public static Model read(InputStream in, String source, boolean compile) throws IOException {
    try (Entries e = Entries.read(in, source)) {
      return read(e, source, compile);
    }
  }

  @SuppressWarnings("unchecked")
  static Model read(Entries e, String source, boolean compile) throws IOException {
    e.requireKeras(source);
    Map<String, Object> cfg = JSON.readValue(e.config, Map.class);
    Model model = ModelFormat.fromConfig(cfg);
    if (compile) {
      ModelFormat.applyCompileConfig(model, (Map<String, Object>) cfg.get("compile_config"));
    }
    LayerState.loadAssets(WeightGroups.of(model), e.assets, source);
    KerasWeightsFile.read(model, e.weights, source, compile);
    return model;
  }

  /** Reads only the weights of a {@code .keras} zip into {@code model} (Keras's load_weights). */
  static void readWeights(Model model, Entries e, String source) throws IOException {
    e.requireKeras(source);
    LayerState.loadAssets(WeightGroups.of(model), e.assets, source);
    KerasWeightsFile.read(model, e.weights, source, false);
  }

  /**
   * The entries of a model zip, read once in order: {@code config.json} and
   * {@code metadata.json} in memory, Keras's {@code model.weights.h5} in a local temporary file
   * (the HDF5 library reads files), and Sparkeras's earlier {@code model.safetensors} in memory
   * (its presence tells the earlier format from Keras's).
   */
  static final class Entries implements AutoCloseable {
    byte[] config;
    byte[] metadata;
    byte[] safetensors;
    Path weights;
    /** Keras's asset files ({@code assets/...}: a lookup's vocabulary), by entry name. */
    final Map<String, byte[]> assets = new LinkedHashMap<>();

    /** Reads every entry of the zip on {@code in}, which stays open. */
    static Entries read(InputStream in, String source) throws IOException {
      Entries out = new Entries();
      boolean ok = false;
      try (ZipInputStream zip = new ZipInputStream(new FilterInputStream(in) {
        @Override
        public void close() {
          // the caller's stream stays open
        }
      })) {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
          switch (e.getName()) {
            case CONFIG -> out.config = zip.readAllBytes();
            case METADATA -> out.metadata = zip.readAllBytes();
            case SPARKERAS_WEIGHTS -> out.safetensors = zip.readAllBytes();
            case WEIGHTS -> {
              out.weights = Files.createTempFile("sparkeras-", ".weights.h5");
              Files.copy(zip, out.weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            case "model.weights.npz" -> throw new IOException(source + ": weights saved with "
                + "weights_format=\"npz\" are not read; save with Keras's default (h5)");
            default -> {
              if (e.getName().startsWith(LayerState.ASSETS) && !e.isDirectory()) {
                out.assets.put(e.getName(), zip.readAllBytes());
              }
              // anything else Keras may add is not needed here
            }
          }
        }
        ok = true;
        return out;
      } catch (ZipException | java.io.EOFException e) {
        throw new IOException(source + ": truncated or corrupt .keras zip (" + e.getMessage()
            + ")", e);
      } finally {
        if (!ok) {
          out.close();
        }
      }
    }

    /** Whether the zip is Sparkeras's earlier format ({@code model.safetensors}). */
    boolean isSparkerasZip() {
      return safetensors != null;
    }

    private void requireKeras(String source) throws IOException {
      String missing = config == null ? CONFIG : weights == null ? WEIGHTS : null;
      if (missing != null) {
        throw new IOException(source + ": not a Keras .keras file (expected a zip with "
            + CONFIG + " and " + WEIGHTS + "; " + missing + " is missing)");
      }
    }

    @Override
    public void close() throws IOException {
      if (weights != null) {
        Files.deleteIfExists(weights);
      }
    }
  }
}
