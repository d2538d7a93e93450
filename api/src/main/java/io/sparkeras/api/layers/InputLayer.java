package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/** The layer behind {@link Input}: it only declares a shape and a dtype. */
public final class InputLayer extends Layer {
  private final int[] shape;
  private final String dtype;

  InputLayer(String name, int[] shape) {
    this(name, "float32", shape);
  }

  InputLayer(String name, String dtype, int[] shape) {
    for (int d : shape) {
      if (d == 0 || d < -1) {
        throw new IllegalArgumentException("Input shape: expected positive sizes (or -1 for "
            + "unknown), found " + java.util.Arrays.toString(shape));
      }
    }
    this.shape = shape.clone();
    this.dtype = dtype == null ? "float32" : dtype;
    if (name != null) {
      name(name);
    }
    ensureBuilt(List.of(this.shape));
    KerasTensor t = new KerasTensor(this.shape, this, 0, 0);
    inboundNodes.add(new Node(this, List.of(), Map.of(), List.of(t)));
  }

  /** Rebuilds from a Keras InputLayer config ({@code batch_shape} or {@code batch_input_shape} / {@code shape}). */
  public static InputLayer fromConfig(Config c) {
    int[] s;
    if (c.has("batch_shape")) {
      int[] b = c.getInts("batch_shape", -1);
      s = java.util.Arrays.copyOfRange(b, 1, b.length);
    } else if (c.has("batch_input_shape")) {
      int[] b = c.getInts("batch_input_shape", -1);
      s = java.util.Arrays.copyOfRange(b, 1, b.length);
    } else if (c.has("shape")) {
      s = c.getInts("shape", -1);
    } else {
      throw new IllegalArgumentException("InputLayer: config needs 'batch_shape' (or "
          + "'batch_input_shape' / 'shape'), found keys " + c.map().keySet());
    }
    Object dtype = c.get("dtype");
    if (dtype instanceof Map && ((Map<?, ?>) dtype).get("config") instanceof Map) {
      dtype = ((Map<?, ?>) ((Map<?, ?>) dtype).get("config")).get("name"); // a dtype policy
    }
    return new InputLayer(c.getString("name", null), dtype == null ? null : dtype.toString(), s);
  }

  /**
   * The declared dtype: "float32" (default), or what a preprocessing input takes ("string",
   * "int64", "int32", "bool", ...).
   */
  public String dtype() {
    return dtype;
  }

  /** The declared shape, batch excluded. */
  public int[] shape() {
    return shape.clone();
  }

  /** The symbolic tensor this input produces. */
  public KerasTensor output() {
    return inboundNodes.get(0).output();
  }

  @Override
  public Tensor call(Tensor input, boolean training) {
    return input;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return shape.clone();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("batch_shape", withBatch(shape));
    m.put("dtype", dtype);
    m.put("sparse", false);
    m.put("ragged", false);
    m.put("name", getName());
    return m;
  }
}
