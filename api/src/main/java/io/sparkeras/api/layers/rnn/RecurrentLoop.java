package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Masks;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop over timesteps behind {@link RNN}, Keras's {@code backend.rnn} (its scan form, which
 * the JAX and NumPy backends run): the cell's sequence-wide projection once, then one
 * {@link RecurrentCell#step} per step in processing order (reversed with {@code go_backwards}).
 * At a masked step the states keep their previous values and the output repeats the previous
 * output state (zeros with {@code zero_output_for_mask}); with {@code return_sequences} the
 * outputs come in processing order.
 */
final class RecurrentLoop {
  private RecurrentLoop() {}

  /** Returns the output (last step's, or every step's) followed by the final states. */
  static List<Tensor> run(RecurrentCell cell, Tensor x, List<Tensor> initial, Tensor mask,
      boolean goBackwards, boolean returnSequences, boolean zeroOutputForMask,
      boolean training) {
    int steps = x.dim(1);
    List<Tensor> states = new ArrayList<>(initial);
    Tensor m = Masks.asFloat(mask);
    List<Tensor> outputs = returnSequences ? new ArrayList<>(steps) : null;
    Tensor last = null;
    try {
      Tensor projected = cell.projectSequence(x, training);
      for (int i = 0; i < steps; i++) {
        int t = goBackwards ? steps - 1 - i : i;
        Tensor pt = ops().squeeze(ops().slice(projected, 1, t, 1), 1);
        RecurrentCell.Step s = cell.step(pt, states, training);
        Tensor out = s.output();
        List<Tensor> next = s.states();
        if (m != null) {
          Tensor keep = ops().slice(m, 1, t, 1); // [batch, 1]
          Tensor previous = zeroOutputForMask ? ops().zeros(out.shape())
              : states.get(cell.outputStateIndex());
          out = select(keep, out, previous);
          List<Tensor> kept = new ArrayList<>(next.size());
          for (int k = 0; k < next.size(); k++) {
            kept.add(select(keep, next.get(k), states.get(k)));
          }
          next = kept;
        }
        states = next;
        last = out;
        if (outputs != null) {
          outputs.add(out);
        }
      }
    } finally {
      cell.endSequence();
    }
    List<Tensor> result = new ArrayList<>(states.size() + 1);
    result.add(outputs != null ? ops().stack(outputs, 1) : last);
    result.addAll(states);
    return result;
  }

  /** {@code keep ? a : b} per sample, {@code keep} a {@code [batch, 1]} 0/1 mask. */
  private static Tensor select(Tensor keep, Tensor a, Tensor b) {
    Tensor k = keep;
    int[] shape = new int[a.rank()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = a.dim(0);
    if (a.rank() != 2) {
      k = ops().reshape(keep, shape);
    }
    return ops().where(k, a, b);
  }
}
