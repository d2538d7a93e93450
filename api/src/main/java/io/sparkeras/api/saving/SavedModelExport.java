package io.sparkeras.api.saving;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.InferenceFunction;
import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code model.exportSavedModel(path)}: the model's inference call, named by its inputs and
 * outputs, handed to the JVM's backend ({@link io.sparkeras.api.backend.Backend#exportSavedModel})
 * to be written into a fresh sibling directory, which is then renamed to {@code path}: a failed
 * export leaves nothing behind, and an existing directory (a TensorFlow Serving model version,
 * say) is never overwritten.
 *
 * <pre>{@code
 * SavedModelExport.export(model, "file:/srv/models/fmnist/1");
 * }</pre>
 */
public final class SavedModelExport {
  private SavedModelExport() {}

  /** Exports {@code model} as a TensorFlow SavedModel directory at {@code path}. */
  public static void export(Model model, String path) throws IOException {
    Path dir = localDirectory(path);
    if (model.hostPlan() != null) {
      throw new IllegalArgumentException("exportSavedModel: model '" + model.getName() + "' has "
          + "preprocessing layers that run on the host (" + model.hostPlan().inputNames()
          + "); a SavedModel holds only the network, so export a model without them and "
          + "preprocess before serving");
    }
    List<int[]> in = model.inputShapes();
    List<int[]> out = model.outputShapes();
    if (in == null || out == null) {
      throw new IllegalStateException("exportSavedModel: model '" + model.getName() + "' is not "
          + "built; call build(inputShape) (or fit / predict) first");
    }
    InferenceFunction f = new InferenceFunction(model.inputNames(), in, model.outputNames(), out,
        x -> model.callAll(x, false));
    if (Files.exists(dir)) {
      throw new IllegalArgumentException("exportSavedModel: '" + path + "' exists; a SavedModel "
          + "is written into a new directory (TensorFlow Serving reads each version's directory "
          + "as immutable)");
    }
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = parent.resolve("." + dir.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      Backends.current().exportSavedModel(f, partial);
      Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(partial);
    }
  }

  /** A local path: plain, or a {@code file:} URI. */
  static Path localDirectory(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("exportSavedModel: path: expected a local directory, "
          + "found " + (path == null ? "null" : "'" + path + "'"));
    }
    if (path.startsWith("file:")) {
      return Path.of(URI.create(path.startsWith("file://") ? path : "file://" + path.substring(5)));
    }
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
      throw new IllegalArgumentException("exportSavedModel: path: expected a local directory "
          + "(or file: URI), found '" + path + "'; export locally, then copy the directory to "
          + "where TensorFlow Serving reads it");
    }
    return Path.of(path);
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
