package io.sparkeras.api.saving.keras;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.saving.ModelFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Model files by content, on any Hadoop path: Keras 3 {@code .keras} zips, Sparkeras's earlier
 * zip ({@code config.json} + {@code model.safetensors}), legacy Keras 2 / tf.keras HDF5 files
 * (full model or weights only) and Keras 3 {@code .weights.h5}. The first bytes decide (a zip or
 * the HDF5 signature), not the file name. {@link #save} writes {@code .keras}.
 *
 * <pre>{@code
 * Model m = ModelFiles.load("hdfs://nn/models/from_python.keras");   // or .h5 from tf.keras 2
 * ModelFiles.save(m, "s3a://bucket/models/trained.keras");           // loads in Python Keras 3
 * ModelFiles.saveWeights(m, "file:/tmp/m.weights.h5");
 * other.loadWeights("file:/tmp/m.weights.h5");
 * }</pre>
 */
public final class ModelFiles {
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  static {
    LegacyConfigs.ensureRegistered();
  }

  private ModelFiles() {}

  /** What a file holds, by its first bytes and (for a zip) its entries. */
  enum Kind { KERAS_ZIP, SPARKERAS_ZIP, HDF5 }

  /** Saves {@code model} as a Keras 3 {@code .keras} zip, atomically (optimizer state included). */
  public static void save(Model model, String path) throws IOException {
    if (path.endsWith(".h5")) {
      throw new IllegalArgumentException("save: '" + path + "': the legacy .h5 format is read, "
          + "not written; save as .keras (or saveWeights to a .weights.h5 file)");
    }
    ModelFormat.writeAtomically(path, out -> KerasArchive.write(model, out));
  }

  /** Loads a model and its compile settings and optimizer state where the file has them. */
  public static Model load(String path) throws IOException {
    return load(path, true);
  }

  /** Loads a model; with {@code compile} false, compile settings and optimizer state are skipped. */
  public static Model load(String path, boolean compile) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    switch (kind(fs, p, path)) {
      case SPARKERAS_ZIP:
        return ModelFormat.load(path);
      case KERAS_ZIP:
        try (InputStream in = fs.open(p)) {
          return KerasArchive.read(in, path, compile);
        }
      default:
        return withLocalFile(fs, p, path, local -> {
          try (Hdf5File f = Hdf5File.open(local, path)) {
            if (!LegacyH5.isFullModel(f)) {
              throw new IOException(path + ": a weights file (no model config): build the model "
                  + "and call model.loadWeights(\"" + path + "\")");
            }
            return LegacyH5.readModel(f, path, compile);
          }
        });
    }
  }

  /** Writes the weights (no optimizer state) as Keras 3's {@code .weights.h5}, atomically. */
  public static void saveWeights(Model model, String path) throws IOException {
    if (!path.endsWith(".weights.h5")) {
      throw new IllegalArgumentException("saveWeights: '" + path + "': the file name must end "
          + "in .weights.h5 (as Keras requires)");
    }
    ModelFormat.writeAtomically(path, out -> {
      java.nio.file.Path h5 = Files.createTempFile("sparkeras-", ".weights.h5");
      try {
        KerasWeightsFile.write(model, h5, false);
        Files.copy(h5, out);
      } finally {
        Files.deleteIfExists(h5);
      }
    });
  }

  /**
   * Loads weights into a model built with the same layers: a Keras 3 {@code .weights.h5}, the
   * weights of a {@code .keras} file, or a legacy {@code .h5} (weights-only or full). Nothing is
   * assigned unless every weight fits.
   */
  public static void loadWeights(Model model, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    Kind kind = kind(fs, p, path);
    if (kind == Kind.KERAS_ZIP) {
      try (InputStream in = fs.open(p)) {
        KerasArchive.readWeights(model, in, path);
      }
      return;
    }
    if (kind == Kind.SPARKERAS_ZIP) {
      copyWeights(ModelFormat.load(path), model, path);
      return;
    }
    withLocalFile(fs, p, path, local -> {
      try (Hdf5File f = Hdf5File.open(local, path)) {
        if (f.exists("layers") || f.exists("vars") || f.exists("_layer_checkpoint_dependencies")) {
          KerasWeightsFile.read(model, f, path, false);
        } else {
          LegacyH5.readWeights(model, f, f.isGroup("model_weights") ? "model_weights" : "/",
              path);
        }
      }
      return null;
    });
  }

  private static void copyWeights(Model from, Model to, String path) throws IOException {
    java.util.List<io.sparkeras.api.layers.Variable> a = from.weights();
    java.util.List<io.sparkeras.api.layers.Variable> b = to.weights();
    if (a.size() != b.size()) {
      throw new IOException(path + ": has " + a.size() + " weights, the model " + b.size());
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i).shape(), b.get(i).shape())) {
        throw new IOException(path + ": weight '" + b.get(i).path() + "': expected shape "
            + Arrays.toString(b.get(i).shape()) + ", found " + Arrays.toString(a.get(i).shape()));
      }
    }
    to.setWeights(from.getWeights());
  }

  // ---- detection -----------------------------------------------------------------------------

  static Kind kind(FileSystem fs, Path p, String path) throws IOException {
    if (!fs.exists(p)) {
      throw new FileNotFoundException("no saved model at " + path);
    }
    byte[] head = new byte[8];
    int n;
    try (InputStream in = fs.open(p)) {
      n = in.readNBytes(head, 0, 8);
    }
    if (n == 8 && Arrays.equals(head, HDF5_SIGNATURE)) {
      return Kind.HDF5;
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      try (InputStream in = fs.open(p); ZipInputStream zip = new ZipInputStream(in)) {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
          if (e.getName().equals("model.safetensors")) {
            return Kind.SPARKERAS_ZIP;
          }
        }
      } catch (IOException e) {
        throw new IOException(path + ": truncated or corrupt zip (" + e.getMessage() + ")", e);
      }
      return Kind.KERAS_ZIP;
    }
    throw new IOException(path + ": not a model file: expected a Keras .keras zip or an HDF5 "
        + "file (.h5 / .weights.h5); the file starts with " + hex(head, n)
        + (n == 0 ? " (it is empty)" : ""));
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(String.format("%02x", b[i] & 0xff));
    }
    return n == 0 ? "nothing" : s.toString();
  }

  @FunctionalInterface
  private interface LocalWork<T> {
    T run(java.nio.file.Path local) throws IOException;
  }

  /** Runs {@code work} on a local copy of {@code p} (the file itself on a local file system). */
  private static <T> T withLocalFile(FileSystem fs, Path p, String path, LocalWork<T> work)
      throws IOException {
    if (fs instanceof LocalFileSystem || "file".equals(fs.getUri().getScheme())) {
      return work.run(java.nio.file.Path.of(fs.makeQualified(p).toUri()));
    }
    java.nio.file.Path tmp = Files.createTempFile("sparkeras-", ".h5");
    try {
      try (InputStream in = fs.open(p)) {
        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return work.run(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
