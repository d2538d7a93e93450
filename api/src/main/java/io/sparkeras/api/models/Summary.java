package io.sparkeras.api.models;

import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import java.util.Locale;

/** Keras 3's summary table, drawn with the same box characters. */
final class Summary {
  private static final int[] WIDTHS = {33, 24, 15};

  private Summary() {}

  static String of(Model m) {
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(m.getName()).append("\"\n");
    b.append(rule('\u250f', '\u2533', '\u2513', '\u2501'));
    b.append(row('\u2503', "Layer (type)", "Output Shape", "Param #"));
    b.append(rule('\u2521', '\u2547', '\u2529', '\u2501'));
    boolean first = true;
    for (Layer l : m.layers()) {
      if (!first) {
        b.append(rule('\u251c', '\u253c', '\u2524', '\u2500'));
      }
      first = false;
      String type = l.getName() + " (" + l.getClass().getSimpleName() + ")";
      b.append(row('\u2502', type, m.layerOutputShape(l), String.format(Locale.ROOT, "%,d",
          l.countParams())));
    }
    b.append(rule('\u2514', '\u2534', '\u2518', '\u2500'));
    long total = 0;
    long trainable = 0;
    java.util.Set<Variable> tw = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    tw.addAll(m.trainableWeights());
    for (Variable v : m.weights()) {
      total += v.size();
      if (tw.contains(v)) {
        trainable += v.size();
      }
    }
    b.append(" Total params: ").append(count(total)).append('\n');
    b.append(" Trainable params: ").append(count(trainable)).append('\n');
    b.append(" Non-trainable params: ").append(count(total - trainable)).append('\n');
    return b.toString();
  }

  private static String count(long n) {
    double bytes = n * 4.0;
    String size;
    if (bytes < 1024) {
      size = String.format(Locale.ROOT, "%.2f B", bytes);
    } else if (bytes < 1024 * 1024) {
      size = String.format(Locale.ROOT, "%.2f KB", bytes / 1024);
    } else {
      size = String.format(Locale.ROOT, "%.2f MB", bytes / (1024 * 1024));
    }
    return String.format(Locale.ROOT, "%,d (%s)", n, size);
  }

  private static String rule(char left, char mid, char right, char fill) {
    StringBuilder b = new StringBuilder().append(left);
    for (int i = 0; i < WIDTHS.length; i++) {
      b.append(String.valueOf(fill).repeat(WIDTHS[i]));
      b.append(i + 1 < WIDTHS.length ? mid : right);
    }
    return b.append('\n').toString();
  }

  private static String row(char sep, String a, String c, String d) {
    StringBuilder b = new StringBuilder().append(sep);
    b.append(' ').append(pad(a, WIDTHS[0] - 2, false)).append(' ').append(sep);
    b.append(' ').append(pad(c, WIDTHS[1] - 2, false)).append(' ').append(sep);
    b.append(' ').append(pad(d, WIDTHS[2] - 2, true)).append(' ').append(sep);
    return b.append('\n').toString();
  }

  private static String pad(String s, int w, boolean right) {
    if (s.length() > w) {
      s = s.substring(0, w - 1) + "\u2026";
    }
    String spaces = " ".repeat(w - s.length());
    return right ? spaces + s : s + spaces;
  }
}
