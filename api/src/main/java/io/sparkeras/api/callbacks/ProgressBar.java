package io.sparkeras.api.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's progress output. Verbose 1: a live bar redrawn in place on a terminal
 * ({@code 235/469 ━━━━━━━━━━────────── 2s 9ms/step - accuracy: 0.8012 - loss: 0.5645});
 * verbose 2: one line per epoch, fit for logs ({@code 469/469 - 5s - 11ms/step - accuracy: ...}). {@code fit} adds it by itself.
 *
 * <pre>{@code model.fit(x, y, FitOptions.epochs(5).verbose(2)); }</pre>
 */
public final class ProgressBar extends Callback {
  private static final int WIDTH = 20;
  private final int verbose;
  private final PrintStream out;
  private final int epochs;
  private int steps;
  private long epochStart;
  private long lastDraw;

  /**
   * @param verbose 1 live bar, 2 one line per epoch
   * @param epochs total epochs, for "Epoch 3/10"
   * @param steps batches per epoch, or -1 if unknown
   */
  public ProgressBar(int verbose, int epochs, int steps, PrintStream out) {
    this.verbose = verbose;
    this.epochs = epochs;
    this.steps = steps;
    this.out = out;
  }

  /** Batches per epoch, when it becomes known. */
  public void setSteps(int steps) {
    this.steps = steps;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    out.println("Epoch " + (epoch + 1) + "/" + epochs);
    epochStart = System.nanoTime();
    lastDraw = 0;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (verbose != 1) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && batch + 1 != steps) {
      return;
    }
    lastDraw = now;
    out.print("\r" + line(batch + 1, now, logs) + "\u001b[K");
    out.flush();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    long now = System.nanoTime();
    int done = steps > 0 ? steps : 0;
    if (verbose == 1) {
      out.print("\r" + line(done, now, logs) + "\u001b[K\n");
    } else {
      out.println(line(done, now, logs));
    }
    out.flush();
  }

  private String line(int step, long now, Map<String, Double> logs) {
    StringBuilder b = new StringBuilder();
    double seconds = (now - epochStart) / 1e9;
    String sep = verbose == 2 ? " - " : " ";
    if (steps > 0) {
      String total = Integer.toString(steps);
      b.append(String.format(Locale.ROOT, "%" + total.length() + "d/%s", step, total));
      if (verbose == 1) {
        int filled = (int) Math.round((double) WIDTH * step / steps);
        b.append(' ').append("\u2501".repeat(filled)).append("\u2500".repeat(WIDTH - filled));
      }
    } else {
      b.append(step).append(" steps");
    }
    b.append(sep).append(Math.round(seconds)).append('s');
    if (step > 0) {
      b.append(sep).append(Math.round(seconds * 1000 / step)).append("ms/step");
    }
    logs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      b.append(" - ").append(e.getKey()).append(": ");
      b.append(format(e.getValue()));
    });
    return b.toString();
  }

  static String format(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) {
      return String.format(Locale.ROOT, "%.4e", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
