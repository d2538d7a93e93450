package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code build_config}: the shapes a layer was built for, by the name of the call
 * argument they came in (Keras's {@code get_shapes_dict}: every tensor argument but masks).
 * One argument gives {@code {"input_shape": shape}}; several give
 * {@code {"shapes_dict": {"query_shape": ..., "value_shape": ...}}}, which Keras passes to
 * {@code build(**shapes_dict)} when it rebuilds the layer. Shapes are written with the batch
 * axis, {@code [null, ...]}; a list of tensors gives a list of shapes.
 *
 * <pre>{@code
 * // MultiHeadAttention called on query and value:
 * // {"shapes_dict": {"query_shape": [null, 4, 6], "value_shape": [null, 5, 6]}}
 * }</pre>
 */
final class BuildShapes {
  private BuildShapes() {}

  /**
   * The shapes (batch excluded) of a call's tensor arguments, masks and plain values left out:
   * an {@code int[]} per tensor, a list of them per list of tensors.
   */
  static Map<String, Object> ofArguments(Map<String, Object> args) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : args.entrySet()) {
      String k = e.getKey();
      Object shapes = k.equals("mask") || k.endsWith("_mask") ? null : shapesOf(e.getValue());
      if (shapes != null) {
        out.put(k, shapes);
      }
    }
    return out;
  }

  private static Object shapesOf(Object v) {
    if (v instanceof KerasTensor) {
      return ((KerasTensor) v).shape().clone();
    }
    if (v instanceof Tensor) {
      int[] s = ((Tensor) v).shape();
      return Arrays.copyOfRange(s, 1, s.length);
    }
    if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
      return null;
    }
    List<Object> l = new ArrayList<>();
    for (Object o : (List<?>) v) {
      Object s = shapesOf(o);
      if (s == null) {
        return null;
      }
      l.add(s);
    }
    return l;
  }

  /** The build_config of these shapes, by argument name (Keras's {@code get_build_config}). */
  static Map<String, Object> config(Map<String, Object> shapes) {
    Map<String, Object> m = Config.newMap();
    if (shapes.size() == 1) {
      m.put("input_shape", withBatch(shapes.values().iterator().next()));
      return m;
    }
    Map<String, Object> dict = Config.newMap();
    for (Map.Entry<String, Object> e : shapes.entrySet()) {
      dict.put(e.getKey() + "_shape", withBatch(e.getValue()));
    }
    m.put("shapes_dict", dict);
    return m;
  }

  /** {@code [null, ...]} for an {@code int[]}; a list of those for a list of shapes. */
  private static List<Object> withBatch(Object shapes) {
    if (shapes instanceof int[]) {
      return Layer.withBatch((int[]) shapes);
    }
    List<Object> l = new ArrayList<>();
    for (Object o : (List<?>) shapes) {
      l.add(withBatch(o));
    }
    return l;
  }
}
