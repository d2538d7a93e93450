package io.sparkeras.worker;

import io.sparkeras.api.models.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Models built once per executor JVM and reused across tasks and epochs, keyed by the SHA-256 of
 * the saved model file's config (architecture + compile settings) and weights. Concurrent tasks
 * of one JVM each borrow their own instance (a model holds mutable parameter and gradient buffers); returned
 * instances are kept for the next task. At most {@link #MAX_KEYS} models are kept, least recently
 * used first out.
 */
public final class WorkerModels {
  /** Different models (keys) kept per JVM. */
  public static final int MAX_KEYS = 4;

  private static final Map<String, Deque<Model>> POOL = new LinkedHashMap<>(16, 0.75f, true);
  private static long loads;

  private WorkerModels() {}

  /**
   * The cache key of a saved model file: SHA-256 over its config (architecture + compile
   * settings) and weights entries, so that two saves of the same model (whose metadata holds
   * the save time) have the same key.
   */
  public static String key(byte[] file) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
          if (!e.getName().equals("metadata.json")) {
            md.update(e.getName().getBytes(StandardCharsets.UTF_8));
            md.update(zip.readAllBytes());
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("not a saved model file: " + e.getMessage(), e);
    }
  }

  /**
   * A model for {@code key}: a pooled instance, or one loaded from the saved-model bytes that
   * {@code file} supplies (read only on a miss, e.g. a Spark broadcast's value).
   */
  public static Model borrow(String key, Supplier<byte[]> file) {
    synchronized (POOL) {
      Deque<Model> free = POOL.get(key);
      if (free != null && !free.isEmpty()) {
        return free.pop();
      }
    }
    Model m = load(file.get());
    synchronized (POOL) {
      loads++;
    }
    return m;
  }

  /** Returns a borrowed model to the pool. */
  public static void release(String key, Model model) {
    synchronized (POOL) {
      POOL.computeIfAbsent(key, k -> new ArrayDeque<>()).push(model);
      while (POOL.size() > MAX_KEYS) {
        String eldest = POOL.keySet().iterator().next();
        POOL.remove(eldest);
      }
    }
  }

  /** How many models this JVM has loaded from bytes (tests check the cache with it). */
  public static long loads() {
    synchronized (POOL) {
      return loads;
    }
  }

  /**
   * Loads a model saved with {@code Model.save} from its bytes, on the backend the application
   * names ({@link SparkBackend}; the JVM's own when it names none).
   */
  public static Model load(byte[] file) {
    SparkBackend.selectFromSparkEnv();
    try {
      return Model.load(new ByteArrayInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the broadcast model: " + e.getMessage(), e);
    }
  }

  /** Saves {@code model} (config, compile settings, weights) and returns the file's bytes. */
  public static byte[] toBytes(Model model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      model.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the model: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
