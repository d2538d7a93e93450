package io.sparkeras.driver.tuner;

import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads and writes trials' checkpoint files on the driver. */
final class TrialCheckpoints {
  private TrialCheckpoints() {}

  static Model load(String path) {
    try {
      return Model.load(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trial checkpoint " + path + ": "
          + e.getMessage(), e);
    }
  }

  static float[] weights(String path) {
    return load(path).getFlatWeights();
  }

  static void save(Model m, String path) {
    try {
      m.save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the trial checkpoint " + path + ": "
          + e.getMessage(), e);
    }
  }
}
