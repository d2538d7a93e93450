package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasWeightLayout;
import io.sparkeras.api.layers.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a recurrent layer over the sequence in both directions and merges the two results, as
 * Keras's {@code Bidirectional}. The forward layer is a copy of the given one named
 * {@code forward_<name>}; the backward layer is {@code backward_layer} or a copy with
 * {@code go_backwards=true} named {@code backward_<name>}. Weights: the forward layer's, then
 * the backward layer's. With {@code return_sequences} the backward outputs are flipped back into
 * time order and both layers output zeros at masked steps (Keras forces
 * {@code zero_output_for_mask}). Merge modes: {@code "concat"} (default, last axis),
 * {@code "sum"}, {@code "mul"}, {@code "ave"}, or null for two separate outputs; with
 * {@code return_state} the forward states, then the backward states follow the output(s).
 * {@code initial_state} holds the forward states then the backward ones.
 *
 * <pre>{@code
 * new Bidirectional(new LSTM(32).returnSequences(true));          // concat: 64 features
 * new Bidirectional(new GRU(8), "sum", new GRU(8).goBackwards(true));
 * }</pre>
 */
public class Bidirectional extends Layer implements KerasWeightLayout {
  private static final List<String> MODES = Arrays.asList("concat", "sum", "mul", "ave", null);

  private final RNN forward;
  private final RNN backward;
  private final String mergeMode;

  /** Concatenates the two directions. */
  public Bidirectional(RNN layer) {
    this(layer, "concat", null);
  }

  public Bidirectional(RNN layer, String mergeMode) {
    this(layer, mergeMode, null);
  }

  /**
   * @param mergeMode "concat", "sum", "mul", "ave", or null (two outputs)
   * @param backwardLayer the backward layer, or null for a copy of {@code layer} going backwards
   */
  public Bidirectional(RNN layer, String mergeMode, RNN backwardLayer) {
    if (layer == null) {
      throw new IllegalArgumentException("Bidirectional layer: expected a recurrent layer, found "
          + "null");
    }
    if (!MODES.contains(mergeMode)) {
      throw new IllegalArgumentException("Bidirectional merge_mode: expected one of \"concat\", "
          + "\"sum\", \"mul\", \"ave\" or null, found \"" + mergeMode + "\"");
    }
    this.mergeMode = mergeMode;
    this.forward = track(copy(layer, "forward_", null));
    this.backward = track(backwardLayer != null ? backwardLayer : copy(layer, "backward_", true));
    verify();
    forward.zeroOutputForMask(forward.isReturnSequences());
    backward.zeroOutputForMask(backward.isReturnSequences());
    setSupportsMasking(true);
  }

  /** A fresh layer from {@code layer}'s config, renamed (and going backwards if asked). */
  private static RNN copy(RNN layer, String prefix, Boolean goBackwards) {
    Map<String, Object> ser = Layer.REGISTRY.serialize(layer);
    @SuppressWarnings("unchecked")
    Map<String, Object> config = new java.util.LinkedHashMap<>((Map<String, Object>) ser.get(
        "config"));
    String name = layer.getName();
    config.put("name", prefix + (name.startsWith(prefix) ? name.substring(prefix.length())
        : name));
    if (goBackwards != null) {
      config.put("go_backwards", goBackwards);
    }
    Map<String, Object> copy = new java.util.LinkedHashMap<>(ser);
    copy.put("config", config);
    return (RNN) Layer.REGISTRY.deserialize(copy);
  }

  private void verify() {
    if (forward.isGoBackwards() == backward.isGoBackwards()) {
      throw new IllegalArgumentException("Bidirectional: the forward and backward layers need "
          + "different go_backwards, found " + forward.isGoBackwards() + " for both");
    }
    if (forward.isReturnSequences() != backward.isReturnSequences()
        || forward.isReturnState() != backward.isReturnState()) {
      throw new IllegalArgumentException("Bidirectional: the forward and backward layers need "
          + "the same return_sequences and return_state, found " + forward.isReturnSequences()
          + "/" + forward.isReturnState() + " and " + backward.isReturnSequences() + "/"
          + backward.isReturnState());
    }
  }

  /** Rebuilds from Keras's config; the inner {@code layer} may lack {@code module} (tf.keras 2). */
  public static Bidirectional fromConfig(Config c) {
    RNN layer = recurrent(c, "layer");
    RNN back = c.has("backward_layer") ? recurrent(c, "backward_layer") : null;
    if (c.has("weights")) {
      throw new IllegalArgumentException(c.getString("name", "Bidirectional") + ": config key "
          + "'weights' is not supported (expected null); load weights from the model file");
    }
    Bidirectional b = new Bidirectional(layer, c.getString("merge_mode", null), back);
    b.name(c.getString("name", null));
    b.trainable(c.getBoolean("trainable", true));
    return b;
  }

  private static RNN recurrent(Config c, String key) {
    Layer l = Layer.REGISTRY.deserialize(c.getMap(key));
    if (!(l instanceof RNN)) {
      throw new IllegalArgumentException(c.getString("name", "Bidirectional") + ": config key '"
          + key + "' expected a recurrent layer (an RNN), found " + l.getClass().getSimpleName());
    }
    return (RNN) l;
  }

  public RNN forwardLayer() {
    return forward;
  }

  /** Keras's Bidirectional call takes {@code sequences} and {@code initial_state}, as an RNN's. */
  @Override
  protected Map<String, Object> buildShapesDict() {
    return RNN.sequenceShapes(this);
  }

  /** Keras's layout: {@code backward_layer} and {@code forward_layer}, each an RNN's groups. */
  @Override
  public Map<String, Object> kerasChildren() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("backward_layer", backward);
    m.put("forward_layer", forward);
    return m;
  }

  public RNN backwardLayer() {
    return backward;
  }

  /** "concat", "sum", "mul", "ave", or null. */
  public String mergeMode() {
    return mergeMode;
  }

  /** tf.keras 2 passes initial states as extra inputs after the sequence: built from the first. */
  @Override
  public void build(List<int[]> inputShapes) {
    build(inputShapes.get(0));
  }

  @Override
  public void build(int[] inputShape) {
    forward.ensureBuilt(List.of(inputShape));
    backward.ensureBuilt(List.of(inputShape));
  }

  @Override
  public List<Tensor> call(CallArgs args) {
    Tensor x = args.input(0);
    List<Tensor> states = args.tensors("initial_state");
    if (states == null && args.inputs().size() > 1) {
      states = args.inputs().subList(1, args.inputs().size());
    }
    Tensor mask = !args.masksExplicit() && args.arg("initial_state") != null ? null
        : args.mask(0);
    List<Tensor> y = forward.applyAll(direction(x, mask, states, 0, args.training()));
    List<Tensor> yRev = backward.applyAll(direction(x, mask, states, 1, args.training()));
    Tensor a = y.get(0);
    Tensor b = yRev.get(0);
    if (forward.isReturnSequences()) {
      b = ops().flip(b, 1);
    }
    List<Tensor> out = new ArrayList<>();
    if (mergeMode == null) {
      out.add(a);
      out.add(b);
    } else {
      out.add(merge(a, b));
    }
    out.addAll(y.subList(1, y.size()));
    out.addAll(yRev.subList(1, yRev.size()));
    return out;
  }

  private static CallArgs direction(Tensor x, Tensor mask, List<Tensor> states, int half,
      boolean training) {
    CallArgs c = CallArgs.of(x).mask(mask).training(training);
    if (states != null) {
      int n = states.size() / 2;
      c.arg("initial_state", new ArrayList<>(states.subList(half * n, half * n + n)));
    }
    return c;
  }

  private Tensor merge(Tensor a, Tensor b) {
    switch (mergeMode) {
      case "concat":
        return ops().concatenate(List.of(a, b), -1);
      case "sum":
        return ops().add(a, b);
      case "mul":
        return ops().multiply(a, b);
      default:
        return ops().multiply(ops().add(a, b), 0.5);
    }
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return call(CallArgs.of(x).training(training)).get(0);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return computeOutputShapes(List.of(inputShape), Map.of()).get(0);
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> inputShapes, Map<String, Object> args) {
    List<int[]> f = forward.computeOutputShapes(List.of(inputShapes.get(0)), Map.of());
    int[] y = f.get(0).clone();
    List<int[]> out = new ArrayList<>();
    if (mergeMode == null) {
      out.add(y);
      out.add(y.clone());
    } else {
      if (mergeMode.equals("concat")) {
        y[y.length - 1] *= 2;
      }
      out.add(y);
    }
    List<int[]> states = f.subList(1, f.size());
    out.addAll(states);
    out.addAll(states);
    return out;
  }

  /** Keras: the input mask on the output(s) with {@code return_sequences}, none otherwise. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    Tensor mask = forward.isReturnSequences() ? args.mask(0) : null;
    List<Tensor> out = new ArrayList<>(outputs.size());
    int masked = mergeMode == null ? 2 : 1;
    for (int i = 0; i < outputs.size(); i++) {
      out.add(i < masked ? mask : null);
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("merge_mode", mergeMode);
    m.put("layer", Layer.REGISTRY.serialize(forward));
    m.put("backward_layer", Layer.REGISTRY.serialize(backward));
    return m;
  }
}
