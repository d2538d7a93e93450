package io.sparkeras.api.saving.keras;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.saving.ModelFormat;
import io.sparkeras.core.fs.AtomicWrite;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Model files by content, on any Hadoop path or stream: Keras 3 {@code .keras} zips, Sparkeras's
 * earlier zip ({@code config.json} + {@code model.safetensors}), legacy Keras 2 / tf.keras HDF5
 * files (full model or weights only) and Keras 3 {@code .weights.h5}. The first bytes decide (a
 * zip or the HDF5 signature), then a zip's entries, not the file name. {@link #save} and
 * {@link #write} write {@code .keras}.
 *
 * <pre>{@code
 * Model m = ModelFiles.load("hdfs://nn/models/from_python.keras");   // or .h5 from tf.keras 2
 * ModelFiles.save(m, "s3a://bucket/models/trained.keras");           // loads in Python Keras 3
 * ModelFiles.saveWeights(m, "file:/tmp/m.weights.h5");
 * ModelFiles.loadWeights(other, "file:/tmp/m.weights.h5");
 * ModelFiles.write(m, out);                                          // the same bytes, a stream
 * Model copy = ModelFiles.read(in, "the broadcast model");
 * }</pre>
 */
public final class ModelFiles {
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  static {
    LegacyConfigs.ensureRegistered();
  }

  private ModelFiles() {}

  /**
   * Saves {@code model} as a Keras 3 {@code .keras} zip (optimizer state included) through the
   * Hadoop FileSystem API, atomically ({@link AtomicWrite}: a failed save leaves the old file).
   */
  public static void save(Model model, String path) throws IOException {
    if (path.endsWith(".h5")) {
      throw new IllegalArgumentException("save: '" + path + "': the legacy .h5 format is read, "
          + "not written; save as .keras (or saveWeights to a .weights.h5 file)");
    }
    atomically(path, out -> KerasArchive.write(model, out));
  }

  /** Writes the {@code .keras} bytes {@link #save} writes to {@code out}, which stays open. */
  public static void write(Model model, OutputStream out) throws IOException {
    KerasArchive.write(model, out);
  }

  /** Loads a model and its compile settings and optimizer state where the file has them. */
  public static Model load(String path) throws IOException {
    return load(path, true);
  }

  /** Loads a model; with {@code compile} false, compile settings and optimizer state are skipped. */
  public static Model load(String path, boolean compile) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    if (kind(head(fs, p, path), path) == Kind.HDF5) {
      return withLocalFile(fs, p, path, local -> fullModel(local, path, compile));
    }
    try (InputStream in = fs.open(p)) {
      return readZip(in, path, compile);
    }
  }

  /**
   * Reads a model from a stream holding any file {@link #load} reads (what {@link #write} wrote,
   * or a file's bytes); {@code in} stays open, {@code source} names it in messages.
   */
  public static Model read(InputStream in, String source) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in);
    b.mark(HDF5_SIGNATURE.length);
    byte[] head = b.readNBytes(HDF5_SIGNATURE.length);
    b.reset();
    if (kind(head, source) == Kind.HDF5) {
      java.nio.file.Path tmp = Files.createTempFile("sparkeras-", ".h5");
      try {
        Files.copy(b, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return fullModel(tmp, source, true);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return readZip(b, source, true);
  }

  private static Model readZip(InputStream in, String source, boolean compile)
      throws IOException {
    try (KerasArchive.Entries e = KerasArchive.Entries.read(in, source)) {
      return e.isSparkerasZip()
          ? ModelFormat.fromEntries(e.config, e.metadata, e.safetensors, source)
          : KerasArchive.read(e, source, compile);
    }
  }

  private static Model fullModel(java.nio.file.Path local, String source, boolean compile)
      throws IOException {
    try (Hdf5File f = Hdf5File.open(local, source)) {
      if (!LegacyH5.isFullModel(f)) {
        throw new IOException(source + ": a weights file (no model config): build the model "
            + "and call model.loadWeights(\"" + source + "\")");
      }
      return LegacyH5.readModel(f, source, compile);
    }
  }

  /** Writes the weights (no optimizer state) as Keras 3's {@code .weights.h5}, atomically. */
  public static void saveWeights(Model model, String path) throws IOException {
    if (!path.endsWith(".weights.h5")) {
      throw new IllegalArgumentException("saveWeights: '" + path + "': the file name must end "
          + "in .weights.h5 (as Keras requires)");
    }
    atomically(path, out -> {
      java.nio.file.Path h5 = Files.createTempFile("sparkeras-", ".weights.h5");
      try {
        KerasWeightsFile.write(model, h5, false);
        Files.copy(h5, out);
      } finally {
        Files.deleteIfExists(h5);
      }
    });
  }

  private static void atomically(String path, AtomicWrite.StreamBody body) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(new Configuration());
    fs.setWriteChecksum(false);
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, body);
  }

  /**
   * Loads weights into a model built with the same layers: a Keras 3 {@code .weights.h5}, the
   * weights of a {@code .keras} file (or of Sparkeras's earlier zip), or a legacy {@code .h5}
   * (weights-only or full). Nothing is assigned unless every weight fits.
   */
  public static void loadWeights(Model model, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    if (kind(head(fs, p, path), path) == Kind.ZIP) {
      try (InputStream in = fs.open(p); KerasArchive.Entries e = KerasArchive.Entries.read(in,
          path)) {
        if (e.isSparkerasZip()) {
          copyWeights(ModelFormat.fromEntries(e.config, e.metadata, e.safetensors, path), model,
              path);
        } else {
          KerasArchive.readWeights(model, e, path);
        }
      }
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

  /** What a file is, by its first bytes. */
  enum Kind { ZIP, HDF5 }

  private static byte[] head(FileSystem fs, Path p, String path) throws IOException {
    if (!fs.exists(p)) {
      throw new FileNotFoundException("no saved model at " + path);
    }
    try (InputStream in = fs.open(p)) {
      return in.readNBytes(HDF5_SIGNATURE.length);
    }
  }

  static Kind kind(byte[] head, String source) throws IOException {
    int n = head.length;
    if (Arrays.equals(head, HDF5_SIGNATURE)) {
      return Kind.HDF5;
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return Kind.ZIP;
    }
    throw new IOException(source + ": not a model file: expected a Keras .keras zip or an HDF5 "
        + "file (.h5 / .weights.h5); the file starts with " + hex(head)
        + (n == 0 ? " (it is empty)" : ""));
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xff));
    }
    return b.length == 0 ? "nothing" : s.toString();
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
