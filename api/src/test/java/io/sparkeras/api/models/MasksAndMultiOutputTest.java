package io.sparkeras.api.models;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Masks;
import io.sparkeras.api.layers.merging.Concatenate;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling1D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layer-call mechanism beyond one tensor in, one out: masks flowing along a functional graph
 * (Keras's {@code compute_mask} / {@code _keras_mask}), layers with several outputs, and call
 * arguments that hold tensors, each through a JSON round trip.
 */
class MasksAndMultiOutputTest {

  /** Masks the steps whose features are all zero, like Keras's Masking(0.0). */
  public static final class ZeroStepMask extends Layer {
    public ZeroStepMask() {
      setSupportsMasking(true);
    }

    ZeroStepMask(Config c) {
      super(c);
      setSupportsMasking(true);
    }

    @Override
    public Tensor call(Tensor x, boolean training) {
      return x;
    }

    @Override
    public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
      Tensor any = ops().max(ops().abs(args.input(0)), -1, false);
      return List.of(ops().greater(any, ops().scalar(0)));
    }

    @Override
    public int[] computeOutputShape(int[] s) {
      return s.clone();
    }
  }

  /** Two outputs: the first and the second half of the features. */
  public static final class Halves extends Layer {
    public Halves() {}

    Halves(Config c) {
      super(c);
    }

    @Override
    public List<Tensor> call(CallArgs args) {
      Tensor x = args.input(0);
      int h = x.dim(-1) / 2;
      return List.of(ops().slice(x, -1, 0, h), ops().slice(x, -1, h, h));
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> shapes, Map<String, Object> args) {
      int[] half = shapes.get(0).clone();
      half[half.length - 1] /= 2;
      return List.of(half, half.clone());
    }
  }

  /** {@code x * scale + offset}, {@code offset} a tensor call argument (like initial_state). */
  public static final class Shift extends Layer {
    public Shift() {}

    Shift(Config c) {
      super(c);
    }

    @Override
    public List<Tensor> call(CallArgs args) {
      Tensor y = args.input(0);
      Object scale = args.arg("scale");
      if (scale != null) {
        y = ops().multiply(y, ((Number) scale).doubleValue());
      }
      Tensor offset = args.tensor("offset");
      return List.of(offset == null ? y : ops().add(y, offset));
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> shapes, Map<String, Object> args) {
      return List.of(shapes.get(0).clone());
    }
  }

  static {
    Layer.REGISTRY.register("ZeroStepMask", "Tests", ZeroStepMask.class, ZeroStepMask::new);
    Layer.REGISTRY.register("Halves", "Tests", Halves.class, Halves::new);
    Layer.REGISTRY.register("Shift", "Tests", Shift.class, Shift::new);
  }

  private static final float[] X = {
      1, 2, 0, 0, 3, 4, // sample 0: steps 0 and 2 kept
      0, 0, 5, 6, 0, 0}; // sample 1: step 1 kept

  @Test
  void maskFlowsToMaskedMeanAndSurvivesJson() {
    KerasTensor in = Input.of(3, 2);
    KerasTensor pooled = new GlobalAveragePooling1D().apply(new ZeroStepMask().apply(in));
    Model m = new Model(in, pooled);
    float[] expected = {2, 3, 5, 6};
    assertArrayEquals(expected, m.predict(NDArray.of(X, 2, 3, 2)).toArray(), 1e-6f);
    Model again = Model.fromJson(m.toJson());
    assertArrayEquals(expected, again.predict(NDArray.of(X, 2, 3, 2)).toArray(), 1e-6f);
    // without the mask the pooling averages every step
    KerasTensor in2 = Input.of(3, 2);
    Model plain = new Model(in2, new GlobalAveragePooling1D().apply(in2));
    assertArrayEquals(new float[] {4 / 3f, 2, 5 / 3f, 2}, plain.predict(NDArray.of(X, 2, 3, 2))
        .toArray(), 1e-6f);
  }

  @Test
  void concatenateOnStepsJoinsTheMasks() {
    KerasTensor a = Input.of(3, 2);
    KerasTensor b = Input.of(2, 2);
    KerasTensor joined = new Concatenate(1).apply(new ZeroStepMask().apply(a), b);
    Model m = new Model(List.of(a, b), List.of(new GlobalAveragePooling1D().apply(joined)));
    float[] y = m.predictAll(List.of(NDArray.of(X, 2, 3, 2),
        NDArray.of(new float[] {1, 1, 1, 1, 2, 2, 2, 2}, 2, 2, 2)), 2).get(0).toArray();
    // b has no mask: its steps all count; sample 0 averages {(1,2), (3,4), (1,1), (1,1)}
    assertArrayEquals(new float[] {1.5f, 2, 3, 10 / 3f}, y, 1e-6f);
  }

  @Test
  void nestedModelPassesMasksThrough() {
    KerasTensor innerIn = Input.of(3, 2);
    Model inner = new Model(innerIn, new ZeroStepMask().apply(innerIn));
    KerasTensor in = Input.of(3, 2);
    Model outer = new Model(in, new GlobalAveragePooling1D().apply(inner.apply(in)));
    assertArrayEquals(new float[] {2, 3, 5, 6}, outer.predict(NDArray.of(X, 2, 3, 2)).toArray(),
        1e-6f);
  }

  @Test
  void eagerCallsTakeExplicitMasks() {
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().constant(X, 2, 3, 2);
      Tensor mask = ops().constant(new float[] {1, 0, 1, 0, 1, 0}, 2, 3); // as ZeroStepMask gives
      List<Tensor> y = new GlobalAveragePooling1D().applyAll(CallArgs.of(x).mask(mask));
      assertArrayEquals(new float[] {2, 3, 5, 6}, y.get(0).toFloatArray(), 1e-6f);
      assertEquals(1, y.size());
    }
  }

  @Test
  void layersWithSeveralOutputsInAGraphAndJson() {
    KerasTensor in = Input.named("x", 4);
    List<KerasTensor> halves = new Halves().name("halves").applyAll(List.of(in), Map.of());
    assertEquals(2, halves.size());
    assertEquals(1, halves.get(1).tensorIndex());
    Model m = new Model(List.of(in), List.of(halves.get(1), halves.get(0)));
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    List<NDArray> y = m.predictAll(List.of(NDArray.of(x, 2, 4)), 2);
    assertArrayEquals(new float[] {3, 4, 7, 8}, y.get(0).toArray());
    assertArrayEquals(new float[] {1, 2, 5, 6}, y.get(1).toArray());
    String json = m.toJson();
    assertTrue(json.contains("[\"halves\",0,1]"), json);
    List<NDArray> again = Model.fromJson(json).predictAll(List.of(NDArray.of(x, 2, 4)), 2);
    assertArrayEquals(y.get(0).toArray(), again.get(0).toArray());
    assertArrayEquals(y.get(1).toArray(), again.get(1).toArray());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Halves().apply(Input.of(4)));
    assertTrue(e.getMessage().contains("2 outputs") && e.getMessage().contains("applyAll"),
        e.getMessage());
  }

  @Test
  void tensorCallArgumentsAreGraphInputsAndSurviveJson() {
    KerasTensor in = Input.named("x", 2);
    KerasTensor offset = Input.named("offset", 2);
    Map<String, Object> args = new java.util.LinkedHashMap<>();
    args.put("offset", offset);
    args.put("scale", 10);
    KerasTensor y = new Shift().name("shift").applyAll(List.of(in), args).get(0);
    Model m = new Model(List.of(in, offset), List.of(y));
    List<NDArray> feed = List.of(NDArray.of(new float[] {1, 2}, 1, 2),
        NDArray.of(new float[] {0.5f, -1}, 1, 2));
    assertArrayEquals(new float[] {10.5f, 19}, m.predictAll(feed, 1).get(0).toArray(), 1e-6f);
    String json = m.toJson();
    assertTrue(json.contains("\"kwargs\":{\"offset\":{\"class_name\":\"__keras_tensor__\""),
        json);
    assertArrayEquals(new float[] {10.5f, 19},
        Model.fromJson(json).predictAll(feed, 1).get(0).toArray(), 1e-6f);
  }

  @Test
  void readsTfKeras2NodesWithTensorKeywordArguments() {
    String json = "{\"class_name\": \"Model\", \"config\": {\"name\": \"m\", \"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"name\": \"x\", \"config\": {\"batch_input_shape\":"
        + " [null, 2], \"name\": \"x\"}, \"inbound_nodes\": []},"
        + "{\"class_name\": \"InputLayer\", \"name\": \"o\", \"config\": {\"batch_input_shape\":"
        + " [null, 2], \"name\": \"o\"}, \"inbound_nodes\": []},"
        + "{\"class_name\": \"Tests>Shift\", \"name\": \"shift\", \"config\": {\"name\": "
        + "\"shift\"}, \"inbound_nodes\": [[[\"x\", 0, 0, {\"offset\": [\"o\", 0, 0]}]]]}],"
        + "\"input_layers\": [[\"x\", 0, 0], [\"o\", 0, 0]],"
        + "\"output_layers\": [[\"shift\", 0, 0]]}}";
    Model m = Model.fromJson(json);
    List<NDArray> feed = List.of(NDArray.of(new float[] {1, 2}, 1, 2),
        NDArray.of(new float[] {3, 4}, 1, 2));
    assertArrayEquals(new float[] {4, 6}, m.predictAll(feed, 1).get(0).toArray());
  }

  @Test
  void masksHelpersFollowKerasLogic() {
    try (Scope s = Backends.current().scope(false)) {
      Tensor a = ops().constant(new float[] {1, 0, 1, 0}, 1, 4);
      Tensor b = ops().cast(ops().constant(new float[] {1, 1, 0, 0}, 1, 4),
          io.sparkeras.api.backend.DType.BOOL);
      assertArrayEquals(new float[] {1, 1, 1, 0}, Masks.or(List.of(a, b)).toFloatArray());
      assertArrayEquals(new float[] {1, 0, 0, 0}, Masks.and(a, b).toFloatArray());
      assertNull(Masks.or(new ArrayList<>(Arrays.asList(a, null))));
      assertArrayEquals(new float[] {1}, Masks.any(a, -1).toFloatArray());
    }
  }
}
