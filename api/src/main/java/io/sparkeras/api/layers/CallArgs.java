package io.sparkeras.api.layers;

import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one layer call gets, like the arguments of Keras's {@code layer(inputs, mask=...,
 * training=..., **kwargs)}: the inputs (Keras's first argument, a list when there are several),
 * one mask per input (null where an input has none), named call arguments ({@code initial_state},
 * {@code attention_mask}, {@code use_causal_mask}, {@code return_attention_scores}, ...) and the
 * training flag. {@link Layer#call(CallArgs)} receives it; a functional model fills in the masks
 * that flow along its graph (Keras's {@code _keras_mask}).
 *
 * <pre>{@code
 * List<Tensor> outs = lstm.applyAll(CallArgs.of(x).mask(mask).arg("initial_state", List.of(h, c)));
 * Tensor y = outs.get(0), lastH = outs.get(1), lastC = outs.get(2);   // return_state=true
 * }</pre>
 *
 * <p>A layer may also set the masks of its outputs itself ({@link #setOutputMasks}), as Keras's
 * {@code MultiHeadAttention} does; otherwise {@link Layer#computeMask} gives them.
 */
public final class CallArgs {
  private final List<Tensor> inputs;
  private List<Tensor> masks;
  private boolean explicitMasks;
  private final Map<String, Object> args = new LinkedHashMap<>();
  private boolean training;
  private List<Tensor> outputMasks;

  private CallArgs(List<Tensor> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a layer call needs at least one input");
    }
    this.inputs = List.copyOf(inputs);
    this.training = Layer.isTraining();
  }

  /** A call on these inputs, in the current training mode, without masks or arguments. */
  public static CallArgs of(Tensor... inputs) {
    return new CallArgs(Arrays.asList(inputs));
  }

  /** A call on these inputs. */
  public static CallArgs of(List<Tensor> inputs) {
    return new CallArgs(inputs);
  }

  /** The mask of the (only) input, as Keras's {@code mask=} argument; null for none. */
  public CallArgs mask(Tensor mask) {
    return masks(Collections.singletonList(mask));
  }

  /** One mask per input (null entries for inputs without one), given explicitly by the caller. */
  public CallArgs masks(List<Tensor> masks) {
    setMasks(masks);
    this.explicitMasks = true;
    return this;
  }

  /**
   * Masks that flowed along a functional graph to this call, one per input (Keras fills
   * {@code mask} from the inputs' {@code _keras_mask} the same way).
   */
  public CallArgs propagatedMasks(List<Tensor> masks) {
    setMasks(masks);
    this.explicitMasks = false;
    return this;
  }

  private void setMasks(List<Tensor> masks) {
    if (masks != null && masks.size() != inputs.size()) {
      throw new IllegalArgumentException("expected one mask per input (" + inputs.size()
          + "), found " + masks.size());
    }
    this.masks = masks == null ? null : Collections.unmodifiableList(new ArrayList<>(masks));
  }

  /**
   * A named call argument: a {@link Tensor}, a list of tensors, or a plain value (Boolean,
   * Number, String). Null removes it.
   */
  public CallArgs arg(String name, Object value) {
    if (value == null) {
      args.remove(name);
    } else {
      args.put(name, value);
    }
    return this;
  }

  /** Runs the call in training (true) or inference (false) mode. */
  public CallArgs training(boolean training) {
    this.training = training;
    return this;
  }

  // ---- reading ------------------------------------------------------------------------------

  public List<Tensor> inputs() {
    return inputs;
  }

  public Tensor input(int i) {
    return inputs.get(i);
  }

  /** The mask of input {@code i}, or null. */
  public Tensor mask(int i) {
    return masks == null || i >= masks.size() ? null : masks.get(i);
  }

  /** Every input's mask (null entries for none); an empty list when no input has a mask. */
  public List<Tensor> masks() {
    if (masks == null) {
      return Collections.nCopies(inputs.size(), null);
    }
    return masks;
  }

  /** Whether any input has a mask. */
  public boolean hasMask() {
    if (masks != null) {
      for (Tensor m : masks) {
        if (m != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the caller passed the masks itself (rather than the graph propagating them). */
  public boolean masksExplicit() {
    return explicitMasks;
  }

  public boolean training() {
    return training;
  }

  /** The named arguments, in the order given. */
  public Map<String, Object> args() {
    return Collections.unmodifiableMap(args);
  }

  /** A named argument, or null. */
  public Object arg(String name) {
    return args.get(name);
  }

  /** A tensor argument, or null; fails naming the argument if it holds something else. */
  public Tensor tensor(String name) {
    Object v = args.get(name);
    if (v == null || v instanceof Tensor) {
      return (Tensor) v;
    }
    throw new IllegalArgumentException("call argument '" + name + "': expected a tensor, found "
        + v);
  }

  /** A tensor or list-of-tensors argument as a list, or null when absent. */
  public List<Tensor> tensors(String name) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Tensor) {
      return List.of((Tensor) v);
    }
    if (v instanceof List) {
      List<Tensor> out = new ArrayList<>();
      for (Object o : (List<?>) v) {
        if (!(o instanceof Tensor)) {
          throw new IllegalArgumentException("call argument '" + name + "': expected a list of "
              + "tensors, found an element " + o);
        }
        out.add((Tensor) o);
      }
      return out;
    }
    throw new IllegalArgumentException("call argument '" + name + "': expected a tensor or a "
        + "list of tensors, found " + v);
  }

  /** A boolean argument (Keras's {@code use_causal_mask=True}), or the default. */
  public boolean flag(String name, boolean dflt) {
    Object v = args.get(name);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new IllegalArgumentException("call argument '" + name + "': expected true or false, "
        + "found " + v);
  }

  /** Sets the masks of the outputs from inside {@code call} (one per output, null for none). */
  public void setOutputMasks(List<Tensor> outputMasks) {
    this.outputMasks = outputMasks == null ? null
        : Collections.unmodifiableList(new ArrayList<>(outputMasks));
  }

  /** The output masks set by the call, or null. */
  public List<Tensor> outputMasks() {
    return outputMasks;
  }
}
