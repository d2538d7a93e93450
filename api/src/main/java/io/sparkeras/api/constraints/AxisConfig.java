package io.sparkeras.api.constraints;

import io.sparkeras.api.config.Config;
import java.util.List;

/** Reads a constraint's {@code axis}: an integer or a list of integers. */
final class AxisConfig {
  private AxisConfig() {}

  static int[] read(Config c) {
    if (!c.has("axis")) {
      return new int[] {0};
    }
    return c.get("axis") instanceof List ? c.getInts("axis", -1) : new int[] {c.getInt("axis")};
  }
}
