package io.sparkeras.driver.tuner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkeras.api.tuner.Oracle;
import io.sparkeras.api.tuner.Oracles;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.core.fs.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A search's state on any Hadoop path, laid out like KerasTuner's project directory:
 * {@code oracle.json} (the whole oracle: settings, random state, space, every trial), and per
 * trial {@code trial_<id>/trial.json} (its values, status, per-epoch logs, score) and
 * {@code trial_<id>/checkpoint.keras} (its best epoch's model). Every file is written through
 * {@link AtomicWrite} (a hidden temporary renamed into place); {@code oracle.json} alone is read
 * to resume. Since a Hadoop rename does not replace a file, the previous {@code oracle.json} is
 * first renamed to {@code oracle.json.prev}: a driver killed before the new one is in place
 * leaves that one, which resuming reads (one change behind: a trial that had just ended runs
 * again).
 *
 * <pre>{@code
 * TunerDirectory dir = new TunerDirectory("hdfs://nn/tune/fmnist", hadoopConf);
 * Oracle oracle = dir.exists() ? dir.loadOracle() : newOracle;
 * oracle.listener(dir::save);
 * }</pre>
 */
public final class TunerDirectory {
  static final String ORACLE = "oracle.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;
  private final FileSystem fs;

  public TunerDirectory(String directory, Configuration conf) {
    if (directory == null || directory.isEmpty()) {
      throw new IllegalArgumentException("directory: expected a Hadoop path for the search's "
          + "state, e.g. hdfs://nn/tune/fmnist or file:/tmp/tune");
    }
    this.root = new Path(directory);
    try {
      this.fs = root.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("directory " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The directory, as given. */
  public String path() {
    return root.toString();
  }

  /** Whether a search saved its state here. */
  public boolean exists() {
    return stateFile() != null;
  }

  private Path stateFile() {
    try {
      Path p = new Path(root, ORACLE);
      if (fs.exists(p)) {
        return p;
      }
      Path prev = new Path(root, ORACLE + ".prev");
      return fs.exists(prev) ? prev : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
    }
  }

  /** The saved oracle, restored. */
  @SuppressWarnings("unchecked")
  public Oracle loadOracle() {
    Path p = stateFile();
    if (p == null) {
      throw new IllegalStateException("no search state under " + root);
    }
    try (InputStream in = fs.open(p)) {
      return Oracles.fromState(JSON.readValue(in, Map.class), p.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a saved search. */
  public void clear() {
    try {
      fs.delete(root, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }

  /** The checkpoint file of a trial (written by the trial's task). */
  public String checkpoint(String trialId) {
    return new Path(trialDir(trialId), "checkpoint.keras").toString();
  }

  private Path trialDir(String trialId) {
    return new Path(root, "trial_" + trialId);
  }

  /**
   * Writes the changed trial's file, then the oracle's: an {@link Oracle.Listener}. The oracle's
   * previous file is kept as {@code oracle.json.prev} until the new one is in place.
   */
  public void save(Oracle oracle, Trial trial) {
    try {
      if (trial != null) {
        write(new Path(trialDir(trial.id()), "trial.json"), trial.toJson());
      }
      byte[] state = JSON.writeValueAsBytes(oracle.getState());
      Path target = new Path(root, ORACLE);
      if (fs.exists(target)) {
        Path prev = new Path(root, ORACLE + ".prev");
        fs.delete(prev, false);
        if (!fs.rename(target, prev)) {
          throw new IOException("cannot rename " + target + " to " + prev);
        }
      }
      AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> out.write(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the search's state under " + root + ": "
          + e.getMessage(), e);
    }
  }

  private void write(Path target, Object json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> out.write(bytes));
  }
}
