package io.sparkeras.core.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a file or a directory through the Hadoop FileSystem API ({@code file:}, {@code hdfs://},
 * {@code s3a://}) so that readers see either what was there before or the complete new one: the
 * content goes to a hidden temporary sibling ({@code .<name>.tmp-<uuid>}, which Hadoop's and
 * Spark's input formats skip), which is then renamed over the target; if anything fails the
 * temporary is deleted and the target is left as it was. Every Sparkeras writer (model files,
 * Spark ML stages, training checkpoints, parameter-server checkpoints) goes through here.
 *
 * <pre>{@code
 * Path target = new Path("hdfs://nn/models/fmnist.keras");
 * FileSystem fs = target.getFileSystem(new Configuration());
 * AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> out.write(bytes));
 * AtomicWrite.directory(fs, new Path("hdfs://nn/ckpt/epoch-0003"), AtomicWrite.IfExists.REPLACE,
 *     dir -> writeCheckpointInto(dir));
 * }</pre>
 *
 * <p>The Hadoop client API is an optional dependency of this module: callers bring it (every
 * module that writes files has it already).
 */
public final class AtomicWrite {
  private AtomicWrite() {}

  /** What to do when the target exists once the new content is complete. */
  public enum IfExists {
    /** Delete it and rename the new content into its place. */
    REPLACE,
    /** Fail with {@link FileAlreadyExistsException}, leaving it alone. */
    FAIL
  }

  /** Fills the temporary file. */
  @FunctionalInterface
  public interface StreamBody {
    void write(OutputStream out) throws IOException;
  }

  /** Fills the temporary directory (it exists, empty, when called). */
  @FunctionalInterface
  public interface DirectoryBody {
    void write(Path dir) throws IOException;
  }

  /** Writes the file {@code target} from {@code body}'s stream. */
  public static void file(FileSystem fs, Path target, IfExists ifExists, StreamBody body)
      throws IOException {
    commit(fs, target, ifExists, false, tmp -> {
      try (OutputStream out = fs.create(tmp, false)) {
        body.write(out);
      }
    });
  }

  /** Writes the directory {@code target}: {@code body} fills a temporary directory. */
  public static void directory(FileSystem fs, Path target, IfExists ifExists,
      DirectoryBody body) throws IOException {
    commit(fs, target, ifExists, true, tmp -> {
      if (!fs.mkdirs(tmp)) {
        throw new IOException("cannot create the directory " + tmp);
      }
      body.write(tmp);
    });
  }

  /** The hidden temporary sibling of {@code target} that a write goes to first. */
  public static Path temporary(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
  }

  private static void commit(FileSystem fs, Path target, IfExists ifExists, boolean directory,
      DirectoryBody fill) throws IOException {
    Path parent = target.getParent();
    if (parent != null && !fs.exists(parent) && !fs.mkdirs(parent)) {
      throw new IOException("cannot create the directory " + parent);
    }
    Path tmp = temporary(target);
    try {
      fill.write(tmp);
      if (fs.exists(target)) {
        if (ifExists == IfExists.FAIL) {
          throw new FileAlreadyExistsException(target + " exists");
        }
        // a file target is never deleted recursively: a directory there is an error, not data
        if (!fs.delete(target, directory)) {
          throw new IOException("cannot replace " + target);
        }
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
    } catch (IOException | RuntimeException | Error e) {
      try {
        fs.delete(tmp, true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }
}
