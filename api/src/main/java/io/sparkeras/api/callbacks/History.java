package io.sparkeras.api.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every epoch's logs, returned by {@code fit} like Keras's {@code History}.
 *
 * <pre>{@code
 * History h = model.fit(x, y, FitOptions.epochs(3));
 * List<Double> losses = h.get("loss");
 * double lastAcc = h.last("val_accuracy");
 * }</pre>
 */
public final class History extends Callback {
  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private final List<Integer> epochs = new ArrayList<>();

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
  }

  /** All series, by metric name. */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    history.forEach((k, v) -> m.put(k, Collections.unmodifiableList(v)));
    return m;
  }

  /** One metric's values, one per epoch. */
  public List<Double> get(String metric) {
    List<Double> l = history.get(metric);
    if (l == null) {
      throw new IllegalArgumentException("history has no metric '" + metric + "'; it has "
          + history.keySet());
    }
    return Collections.unmodifiableList(l);
  }

  /** The metric's value at the last epoch. */
  public double last(String metric) {
    List<Double> l = get(metric);
    return l.get(l.size() - 1);
  }

  /** The epochs (0-based) that ran. */
  public List<Integer> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  @Override
  public String toString() {
    return "History" + history;
  }
}
