package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * One timestep of a recurrent network, the Java form of a Keras RNN cell ({@code SimpleRNNCell},
 * {@code LSTMCell}, {@code GRUCell}, or your own): given a step's input and the previous states
 * it returns the step's output and the new states. {@link RNN} runs it over a sequence. The
 * cell's weights are created by {@link #build(int[])} from the shape of one step's input (batch
 * and time excluded).
 *
 * <p>A cell may move work that does not depend on the states out of the loop:
 * {@link #projectSequence} runs once on the whole sequence (built-in cells multiply every
 * step's input by the kernel there, in one matrix product) and {@link #step} then gets each
 * step's slice of its result. A custom cell overrides only {@link #step} and
 * {@link #stateShapes}.
 *
 * <pre>{@code
 * class MinimalCell extends RecurrentCell {
 *   final int units; Variable kernel, recurrent;
 *   MinimalCell(int units) { this.units = units; }
 *   public void build(int[] in) {
 *     kernel = addWeight("kernel", new int[] {in[0], units}, new GlorotUniform(), true);
 *     recurrent = addWeight("recurrent_kernel", new int[] {units, units}, new Orthogonal(), true);
 *   }
 *   public List<int[]> stateShapes() { return List.of(new int[] {units}); }
 *   public Step step(Tensor x, List<Tensor> states, boolean training) {
 *     Tensor h = ops().add(ops().matmul(x, kernel.value()),
 *         ops().matmul(states.get(0), recurrent.value()));
 *     return new Step(h, List.of(h));
 *   }
 * }
 * new RNN(new MinimalCell(32)).returnSequences(true);
 * }</pre>
 */
public abstract class RecurrentCell extends Layer {

  /** The result of one step: the output and the new states. */
  public static final class Step {
    private final Tensor output;
    private final List<Tensor> states;

    public Step(Tensor output, List<Tensor> states) {
      this.output = output;
      this.states = List.copyOf(states);
    }

    public Tensor output() {
      return output;
    }

    public List<Tensor> states() {
      return states;
    }
  }

  protected RecurrentCell() {}

  protected RecurrentCell(io.sparkeras.api.config.Config config) {
    super(config);
  }

  /** Shapes of the states (batch excluded), in order; known once the cell is built. */
  public abstract List<int[]> stateShapes();

  /** Shape of a step's output (batch excluded); by default the first state's. */
  public int[] outputShape() {
    return stateShapes().get(0).clone();
  }

  /**
   * Which state holds the previous step's output, for masked steps (Keras repeats the first
   * state; a stack of cells its last cell's first state).
   */
  public int outputStateIndex() {
    return 0;
  }

  /** States of zeros for a batch, as Keras's {@code get_initial_state}. */
  public List<Tensor> initialStates(int batch) {
    List<Tensor> out = new ArrayList<>();
    for (int[] s : stateShapes()) {
      int[] full = new int[s.length + 1];
      full[0] = batch;
      System.arraycopy(s, 0, full, 1, s.length);
      out.add(ops().zeros(full));
    }
    return out;
  }

  /**
   * Work on the whole input sequence {@code [batch, steps, ...]} that does not depend on the
   * states; the result, sliced per step, is what {@link #step} receives. Default: none.
   */
  public Tensor projectSequence(Tensor sequence, boolean training) {
    return sequence;
  }

  /** {@link #projectSequence} for a single step's input {@code [batch, ...]}. */
  public Tensor projectStep(Tensor input, boolean training) {
    return ops().squeeze(projectSequence(ops().expandDims(input, 1), training), 1);
  }

  /**
   * One step on a projected input.
   *
   * @param projected this step's slice of {@link #projectSequence}
   * @param states the previous states, in {@link #stateShapes} order
   */
  public abstract Step step(Tensor projected, List<Tensor> states, boolean training);

  /** Keras's {@code cell(inputs, states)}: one step on a raw input. */
  public final Step call(Tensor input, List<Tensor> states, boolean training) {
    return step(projectStep(input, training), states, training);
  }

  /**
   * Called by {@link RNN} when a sequence is done: a cell with dropout forgets the masks it drew
   * for that sequence (Keras draws one mask per sequence and reuses it at every step).
   */
  public void endSequence() {}

  /** A cell is called through {@link #call(Tensor, List, boolean)}, not as a plain layer. */
  @Override
  public Tensor call(Tensor input, boolean training) {
    throw new UnsupportedOperationException("cell '" + getName() + "' ("
        + getClass().getSimpleName() + ") is a recurrent cell: wrap it in new RNN(cell), or call "
        + "call(input, states, training) for one step");
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return outputShape();
  }
}
