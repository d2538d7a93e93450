package io.sparkeras.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.models.Model;
import io.sparkeras.core.fs.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Per-epoch checkpoints of a distributed fit through the Hadoop FileSystem API:
 * {@code <dir>/epoch-0003/} holds {@code model.keras} (Model.save: config, compile settings,
 * weights), {@code ps.ckpt} (the parameter server's parameters, optimizer state, versions) and
 * {@code state.json} (epoch, step). Written under a hidden temporary name and renamed
 * ({@link AtomicWrite}), so a directory named {@code epoch-*} is always complete.
 */
final class TrainingCheckpoints {
  static final String MODEL = "model.keras";
  static final String PS = "ps.ckpt";
  static final String STATE = "state.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingCheckpoints() {}

  /** A complete checkpoint: where it lies and what it says. */
  static final class Found {
    final String dir;
    final int epoch;
    final long baseStep;

    Found(String dir, int epoch, long baseStep) {
      this.dir = dir;
      this.epoch = epoch;
      this.baseStep = baseStep;
    }

    String model() {
      return dir + "/" + MODEL;
    }

    String ps() {
      return dir + "/" + PS;
    }
  }

  interface Writer {
    void write(String tmpDir) throws IOException;
  }

  /** Writes epoch {@code epoch}'s checkpoint atomically; {@code writer} fills the temp dir. */
  static String write(String root, int epoch, long baseStep, Writer writer) {
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(new Configuration());
      Path fin = new Path(rootPath, String.format("epoch-%04d", epoch));
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("format", "sparkeras-training-checkpoint");
      state.put("epoch", epoch);
      state.put("base_step", baseStep);
      AtomicWrite.directory(fs, fin, AtomicWrite.IfExists.REPLACE, tmp -> {
        writer.write(tmp.toString());
        try (OutputStream out = fs.create(new Path(tmp, STATE), true)) {
          out.write(JSON.writeValueAsBytes(state));
        }
      });
      return fin.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint of epoch " + epoch + " to " + root + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * With {@link TrainerSettings#RESUME}: the newest checkpoint under the checkpoint dir (null
   * when there is none yet), its model weights loaded into {@code model}; else null.
   */
  static Found resume(TrainerSettings settings, Model model) {
    String dir = settings.get(TrainerSettings.CHECKPOINT_DIR);
    if (!settings.get(TrainerSettings.RESUME)) {
      return null;
    }
    if (dir == null) {
      throw new IllegalStateException("resume(true) needs a checkpointDir ("
          + TrainerSettings.CHECKPOINT_DIR.key() + ")");
    }
    Found ck = latest(dir);
    if (ck != null) {
      try {
        model.setFlatWeights(Model.load(ck.model()).getFlatWeights());
      } catch (IOException e) {
        throw new UncheckedIOException("resume from " + ck.dir + ": " + e.getMessage(), e);
      }
    }
    return ck;
  }

  /** The newest complete checkpoint under {@code root}, or null. */
  @SuppressWarnings("unchecked")
  static Found latest(String root) {
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(new Configuration());
      if (!fs.exists(rootPath)) {
        return null;
      }
      Found best = null;
      for (FileStatus st : fs.listStatus(rootPath)) {
        String name = st.getPath().getName();
        if (!st.isDirectory() || !name.matches("epoch-\\d+")) {
          continue;
        }
        Path state = new Path(st.getPath(), STATE);
        if (!fs.exists(state)) {
          continue;
        }
        Map<String, Object> m;
        try (InputStream in = fs.open(state)) {
          m = JSON.readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
        }
        int epoch = ((Number) m.get("epoch")).intValue();
        if (best == null || epoch > best.epoch) {
          best = new Found(st.getPath().toString(), epoch,
              ((Number) m.get("base_step")).longValue());
        }
      }
      return best;
    } catch (IOException e) {
      throw new UncheckedIOException("reading checkpoints under " + root + ": " + e.getMessage(), e);
    }
  }
}
