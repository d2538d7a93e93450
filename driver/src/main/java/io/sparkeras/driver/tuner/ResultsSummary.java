package io.sparkeras.driver.tuner;

import io.sparkeras.api.tuner.Oracle;
import io.sparkeras.api.tuner.Trial;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** KerasTuner's {@code results_summary()} text. */
final class ResultsSummary {
  private ResultsSummary() {}

  static String of(Oracle oracle, String directory, int n) {
    List<Trial> best = oracle.bestTrials(n);
    StringBuilder b = new StringBuilder("Results summary\n");
    b.append("Results in ").append(directory).append('\n');
    b.append("Showing ").append(best.size()).append(" best trials\n");
    b.append(String.format(Locale.ROOT, "Objective(name=\"%s\", direction=\"%s\")\n",
        oracle.objective().name(),
        oracle.objective().direction().name().toLowerCase(Locale.ROOT)));
    for (Trial t : best) {
      b.append("\nTrial ").append(t.id()).append(" summary\nHyperparameters:\n");
      for (Map.Entry<String, Object> e : t.hyperparameters().values().entrySet()) {
        b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
      b.append("Score: ").append(t.score()).append('\n');
    }
    return b.toString();
  }
}
