package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;

/**
 * One operation of a traced step, a node of {@link TfGraph}'s trie: its children are the
 * operations that followed it in earlier steps, keyed by operation, attributes and input ids, so a
 * step that calls the same operations again walks the trie and builds nothing.
 */
final class TraceNode {
  final int id;
  final Output<?> out;
  final int[] shape;
  final DType dtype;
  final Map<String, TraceNode> children = new HashMap<>(4);
  /** Values read at this position in earlier steps: fetched together with the next run here. */
  final List<TraceNode> hints = new ArrayList<>(2);
  /** A placeholder fed on every visit (inputs, dropout seeds), or null. */
  Operand<?> placeholder;
  /** For a gradient node: d loss / d slab, per slab (null where the loss does not depend on it). */
  Output<?>[] gradients;
  Slab[] gradientSlabs;

  TraceNode(int id, Output<?> out, int[] shape, DType dtype) {
    this.id = id;
    this.out = out;
    this.shape = shape;
    this.dtype = dtype;
  }
}
