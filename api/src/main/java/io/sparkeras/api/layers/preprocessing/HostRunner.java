package io.sparkeras.api.layers.preprocessing;

import java.util.List;

/**
 * Runs a {@link HostPlan} one sample (row) at a time on one thread: the caller fills the raw
 * inputs ({@link #input}), calls {@link #run}, and copies each boundary value into the network's
 * batch buffer ({@link #write}). Every value is allocated once and reused, so a stream of rows
 * allocates nothing here (the layers' own per-row work does not allocate either).
 *
 * <pre>{@code
 * HostRunner r = plan.newRunner(true, partition);
 * for (each row) {
 *   fill(r.input(0), row); fill(r.input(1), row);
 *   r.run();
 *   for (int b = 0; b < plan.boundary().size(); b++) r.write(b, x[b], n * plan.boundarySize(b));
 * }
 * }</pre>
 */
public final class HostRunner {
  private final HostPlan plan;
  private final HostContext context;
  private final HostValue[] slots;
  private final HostValue[][] stepInputs;
  private final HostOp[] layers;
  private final int[] outputs;
  private final long[] seeds;
  private boolean[] enabled;

  HostRunner(HostPlan plan, HostContext context) {
    this.plan = plan;
    this.context = context;
    slots = new HostValue[plan.slotCount()];
    for (int s = 0; s < slots.length; s++) {
      slots[s] = new HostValue(plan.slotKind(s));
    }
    List<HostPlan.Step> steps = plan.steps();
    stepInputs = new HostValue[steps.size()][];
    layers = new HostOp[steps.size()];
    outputs = new int[steps.size()];
    seeds = new long[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      HostPlan.Step st = steps.get(i);
      stepInputs[i] = new HostValue[st.inputs.length];
      for (int k = 0; k < st.inputs.length; k++) {
        stepInputs[i][k] = slots[st.inputs[k]];
      }
      layers[i] = st.op;
      outputs[i] = st.output;
      seeds[i] = st.op.seed();
    }
  }

  public HostPlan plan() {
    return plan;
  }

  /** Raw input {@code i}'s value for the current row (reset and fill it). */
  public HostValue input(int i) {
    return slots[i];
  }

  /**
   * Runs only the steps marked true (how adapt runs what feeds the layers being adapted while
   * later layers still have no state; {@link AdaptPlan#stepsFor}); null runs every step.
   */
  public void only(boolean[] steps) {
    this.enabled = steps;
  }

  /** The value step {@code i}'s layer reads as its input {@code k} (for adapt). */
  HostValue stepInput(int i, int k) {
    return stepInputs[i][k];
  }

  /**
   * Encodes the current row through the host layers. A value a layer rejects throws
   * {@link IllegalArgumentException} with the layer's message.
   */
  public void run() {
    for (int i = 0; i < layers.length; i++) {
      if (enabled != null && !enabled[i]) {
        continue;
      }
      layers[i].encode(stepInputs[i], slots[outputs[i]], context.select(i, seeds[i]));
    }
  }

  /**
   * Writes boundary value {@code b} of the current row as floats into {@code dst} from
   * {@code offset}; throws {@link IllegalArgumentException} when its size is not the declared
   * one (a raw input of the wrong length, say).
   */
  public void write(int b, float[] dst, int offset) {
    HostValue v = slots[plan.boundarySlot(b)];
    int n = plan.boundarySize(b);
    if (v.count() != n) {
      throw new IllegalArgumentException("'" + plan.boundary().get(b).layer().getName()
          + "' gives " + v.count() + " values, the network expects " + n + " (shape "
          + java.util.Arrays.toString(plan.boundaryShape(b)) + ")");
    }
    if (v.kind() == HostValue.Kind.FLOAT) {
      System.arraycopy(v.floats(), 0, dst, offset, n);
    } else {
      long[] l = v.ints();
      for (int i = 0; i < n; i++) {
        dst[offset + i] = l[i];
      }
    }
  }
}
