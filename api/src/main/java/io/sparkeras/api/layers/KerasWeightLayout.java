package io.sparkeras.api.layers;

import java.util.List;
import java.util.Map;

/**
 * Implemented by a layer that nests layers: how Keras's {@code saving_lib} lays its variables out
 * in a weights file. Keras writes a saveable's own variables to {@code <group>/vars/0..n-1}, then
 * visits the saveables among its attributes, each in a group named after the attribute: an
 * RNN's {@code cell}, a Bidirectional's {@code forward_layer} and {@code backward_layer}, a
 * wrapper's {@code layer}, MultiHeadAttention's {@code query_dense}; a list attribute is a
 * container whose items are named by their snake_case class name, numbered from the second one
 * of a class on ({@code cells/lstm_cell}, {@code cells/lstm_cell_1}). A layer that does not
 * implement this keeps all its weights in its own group and may not nest layers.
 *
 * <pre>{@code
 * // RNN: nothing of its own, the cell's weights under <rnn>/cell/vars
 * public Map<String, Object> kerasChildren() {
 *   return Map.of("cell", cell);
 * }
 * }</pre>
 */
public interface KerasWeightLayout {

  /**
   * The variables of the layer's own {@code vars} group, in order: those Keras tracks on the
   * layer itself, not on the layers it nests. Default: none.
   */
  default List<Variable> kerasOwnVariables() {
    return List.of();
  }

  /**
   * The nested saveables by their path relative to the layer's group, in Keras's order. A value
   * is a {@link Layer} (its group, laid out recursively), a {@code List} of layers (a container,
   * as above), or null for a sublayer Keras has and Sparkeras does not need (a
   * MultiHeadAttention's softmax and dropout): an empty group, as Keras writes for a layer
   * without variables.
   */
  Map<String, Object> kerasChildren();
}
