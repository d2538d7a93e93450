package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasWeightLayout;
import io.sparkeras.api.layers.Layer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Applies a layer to every step of a sequence, as Keras's {@code TimeDistributed}: inputs
 * {@code (batch, steps, ...)}, the inner layer sees {@code (batch, ...)} per step and its
 * weights are shared by all steps. The steps are folded into the batch (one call on
 * {@code (batch * steps, ...)}), which computes what Keras's loop over steps computes for every
 * layer whose samples do not interact; a BatchNormalization inside it in training mode takes
 * its statistics over all steps at once rather than per step. A mask passes through unchanged,
 * and a mask over more axes than {@code (batch, steps)} reaches the inner layer per step.
 *
 * <pre>{@code new TimeDistributed(new Dense(10).activation("softmax")); }</pre>
 */
public class TimeDistributed extends Layer implements KerasWeightLayout {
  private final Layer layer;

  public TimeDistributed(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("TimeDistributed layer: expected a layer, found null");
    }
    this.layer = track(layer);
    setSupportsMasking(true);
  }

  public static TimeDistributed fromConfig(Config c) {
    if (!c.has("layer")) {
      throw new IllegalArgumentException(c.getString("name", "TimeDistributed") + ": config key "
          + "'layer' expected the wrapped layer's config, found nothing");
    }
    TimeDistributed t = new TimeDistributed(Layer.REGISTRY.deserialize(c.getMap("layer")));
    t.name(c.getString("name", null));
    t.trainable(c.getBoolean("trainable", true));
    return t;
  }

  /** The wrapped layer. */
  public Layer layer() {
    return layer;
  }

  /** Keras keeps the wrapped layer's weights under {@code <time_distributed>/layer}. */
  @Override
  public Map<String, Object> kerasChildren() {
    return Map.of("layer", layer);
  }

  private int[] stepShape(int[] inputShape) {
    if (inputShape.length < 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (TimeDistributed) expects "
          + "input of shape (None, steps, ...) with at least 3 axes, found "
          + shapeString(inputShape));
    }
    return Arrays.copyOfRange(inputShape, 1, inputShape.length);
  }

  @Override
  public void build(int[] inputShape) {
    layer.ensureBuilt(List.of(stepShape(inputShape)));
  }

  @Override
  public List<Tensor> call(CallArgs args) {
    Tensor x = args.input(0);
    int[] s = x.shape();
    int batch = s[0];
    int steps = s[1];
    CallArgs inner = CallArgs.of(ops().reshape(x, merged(s))).training(args.training());
    Tensor mask = args.mask(0);
    if (mask != null && mask.rank() > 2) {
      inner.mask(ops().reshape(mask, merged(mask.shape())));
    }
    List<Tensor> y = layer.applyAll(inner);
    if (y.size() != 1) {
      throw new IllegalArgumentException("layer '" + getName() + "' (TimeDistributed) wraps a "
          + "layer with " + y.size() + " outputs; expected one");
    }
    int[] ys = y.get(0).shape();
    int[] out = new int[ys.length + 1];
    out[0] = batch;
    out[1] = steps;
    System.arraycopy(ys, 1, out, 2, ys.length - 1);
    return List.of(ops().reshape(y.get(0), out));
  }

  /** {@code (batch, steps, rest...)} as {@code (batch * steps, rest...)}. */
  private static int[] merged(int[] s) {
    int[] m = Arrays.copyOfRange(s, 1, s.length);
    m[0] = s[0] * s[1];
    return m;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    int[] inner = layer.computeOutputShape(stepShape(inputShape));
    int[] out = new int[inner.length + 1];
    out[0] = inputShape[0];
    System.arraycopy(inner, 0, out, 1, inner.length);
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("layer", Layer.REGISTRY.serialize(layer));
    return m;
  }
}
