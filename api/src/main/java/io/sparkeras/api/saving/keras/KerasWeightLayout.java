package io.sparkeras.api.saving.keras;

import io.sparkeras.api.layers.Variable;
import java.util.List;
import java.util.Map;

/**
 * Implemented by a layer whose variables Keras's {@code saving_lib} does not keep in the layer's
 * own group: the groups it writes, as paths relative to the layer's group ({@code ""} = the
 * layer's own) mapped to the variables stored there, in order ({@code vars/0}, {@code vars/1},
 * ...). Groups with no variables are written empty, as Keras does for every saveable it visits.
 * A layer that does not implement this keeps all its weights in its own group.
 *
 * <pre>{@code
 * // LSTM: Keras keeps the weights in the cell (layers/lstm/cell/vars/0..2)
 * public Map<String, List<Variable>> kerasWeightGroups() {
 *   return KerasWeightLayout.groups("", List.of(), "cell", weights());
 * }
 * }</pre>
 */
public interface KerasWeightLayout {

  /** Relative group path to variables, in Keras's order (a {@link java.util.LinkedHashMap}). */
  Map<String, List<Variable>> kerasWeightGroups();

  /** An ordered map of alternating paths and variable lists. */
  @SuppressWarnings("unchecked")
  static Map<String, List<Variable>> groups(Object... pathsAndVariables) {
    Map<String, List<Variable>> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pathsAndVariables.length; i += 2) {
      m.put((String) pathsAndVariables[i], (List<Variable>) pathsAndVariables[i + 1]);
    }
    return m;
  }
}
