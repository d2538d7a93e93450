package io.sparkeras.jobs;

import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Loads {@code --model}: a Keras {@code model.to_json()} document or a saved Sparkeras model. */
final class ModelFiles {
  private ModelFiles() {}

  static boolean isJson(String path) {
    return path.toLowerCase(java.util.Locale.ROOT).endsWith(".json");
  }

  /**
   * A {@code *.json} file is read as Keras {@code to_json()} (fresh weights, not compiled) when
   * {@code jsonAllowed}; anything else is loaded as a saved model (compiled as it was saved).
   */
  static Model load(String flag, String path, Configuration conf, boolean jsonAllowed) {
    if (isJson(path)) {
      if (!jsonAllowed) {
        throw JobException.usage(flag + ": '" + path + "' is a model.to_json() document "
            + "without weights; expected a saved model (the --output of train)");
      }
      String json;
      try {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
          json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new JobException(JobException.USAGE, flag + ": cannot read '" + path + "': "
            + JobException.brief(e), e);
      }
      try {
        return Model.fromJson(json);
      } catch (RuntimeException e) {
        throw new JobException(JobException.USAGE, flag + ": '" + path + "' is not a supported "
            + "Keras model.to_json() document: " + JobException.brief(e), e);
      }
    }
    try {
      return Model.load(path);
    } catch (IOException | RuntimeException e) {
      throw new JobException(JobException.USAGE, flag + ": cannot load the saved model '" + path
          + "': " + JobException.brief(e), e);
    }
  }
}
