package io.sparkeras.api.backend.torch;

import io.sparkeras.api.backend.ParameterBlock.GradientsReady;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.VoidTensorHook;

/**
 * Tells a {@link GradientsReady} listener, while libtorch's backward runs, how far from the end
 * the flat gradient is final. One tensor hook per variable that requires a gradient: libtorch
 * calls a leaf's hooks just before it accumulates the leaf's gradient (into its view of the flat
 * gradient), and on a CPU it runs backward on the calling thread, one node after the other; so
 * when a hook fires, every variable whose hook fired before has its gradient accumulated. The
 * variables lie in the flat vector in the model's order and backward reaches the last layers
 * first: the reported offset is the start of the longest run of accumulated (or frozen) variables
 * at the end of the vector. A variable that gets no gradient in a pass (an unused branch) holds
 * the report back; the end of backward settles it.
 *
 * <p>Keeps no state per pass beyond its arrays (reset by {@code zeroGradients}); a report is one
 * call of the listener. Each hook call does cost JavaCPP a small wrapper object for its argument:
 * one per weight per backward, only on models that were given a listener.
 */
final class GradientHooks {
  private final int[] offsets;
  private final boolean[] trainable;
  private final boolean[] complete;
  private final int size;
  /** Kept reachable: libtorch holds only their native function pointers. */
  private final Hook[] hooks;
  private GradientsReady listener;
  /** The variable whose hook fired last (its accumulation may still run), or -1. */
  private int pending = -1;
  /** Variables [0, top) are not all known to be final. */
  private int top;
  private int reported;
  private Throwable failure;

  GradientHooks(org.bytedeco.pytorch.Tensor[] variables, int[] offsets, int size) {
    this.offsets = offsets.clone();
    this.size = size;
    this.trainable = new boolean[variables.length];
    this.complete = new boolean[variables.length];
    this.hooks = new Hook[variables.length];
    for (int i = 0; i < variables.length; i++) {
      trainable[i] = variables[i].requires_grad();
      if (trainable[i]) {
        hooks[i] = new Hook(i);
        variables[i].register_hook(hooks[i]);
      }
    }
    reset();
  }

  void listener(GradientsReady l) {
    listener = l;
    failure = null;
  }

  /** A new pass: only frozen variables are final. */
  void reset() {
    for (int i = 0; i < complete.length; i++) {
      complete[i] = !trainable[i];
    }
    pending = -1;
    top = complete.length;
    reported = size;
  }

  /** Rethrows what a listener threw during the last pass (once). */
  void rethrow() {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    failure = null;
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    throw new IllegalStateException("gradient listener failed: " + t, t);
  }

  private void fired(int index) {
    if (listener == null || failure != null) {
      return;
    }
    if (pending >= 0) {
      complete[pending] = true;
    }
    pending = index;
    while (top > 0 && complete[top - 1]) {
      top--;
    }
    int from = top == complete.length ? size : offsets[top];
    if (from < reported) {
      reported = from;
      try {
        listener.ready(from);
      } catch (Throwable t) {
        // never into libtorch's stack: the train step rethrows it after backward
        failure = t;
      }
    }
  }

  private final class Hook extends VoidTensorHook {
    private final int index;

    Hook(int index) {
      this.index = index;
    }

    @Override
    public void call(TensorBase gradient) {
      fired(index);
    }
  }
}
