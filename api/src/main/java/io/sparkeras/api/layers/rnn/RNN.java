package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasWeightLayout;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.core.Unsupported;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A recurrent layer that runs a {@link RecurrentCell} over the steps of
 * {@code (batch, steps, features...)} inputs, as Keras's {@code RNN}; {@link SimpleRNN},
 * {@link LSTM}, {@link GRU} and the ConvLSTM layers are RNNs with a built-in cell. The output
 * is the last step's output, or every step's with {@code returnSequences(true)}; with
 * {@code returnState(true)} the final states follow it as further outputs.
 *
 * <p>Call arguments: {@code initial_state} (one tensor per state; tf.keras 2's form, the states
 * as extra inputs after the sequence, is read too) and a {@code (batch, steps)} mask, which a
 * functional model passes on from {@code Embedding(mask_zero=True)} or {@code Masking}: at a
 * masked step the states are kept and the output repeats the previous one (zeros with
 * {@code zero_output_for_mask}). As in Keras 3, a mask flowing along the graph is not applied
 * when {@code initial_state} is passed as an argument (pass {@code mask} explicitly then).
 * {@code unroll} is accepted and computes the same (the loop is always a Java loop of backend
 * ops); {@code stateful=True} is refused: states are not carried between batches.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(-1, 8);
 * List<KerasTensor> out = new LSTM(16).returnState(true).applyAll(List.of(x), Map.of());
 * KerasTensor y = new RNN(List.of(new GRUCell(8), new GRUCell(4))).apply(x);
 * }</pre>
 */
public class RNN extends Layer implements KerasWeightLayout {
  private final RecurrentCell cell;
  private boolean returnSequences;
  private boolean returnState;
  private boolean goBackwards;
  private boolean unroll;
  private boolean zeroOutputForMask;

  /** An RNN around one cell. */
  public RNN(RecurrentCell cell) {
    if (cell == null) {
      throw new IllegalArgumentException("RNN cell: expected a RecurrentCell, found null");
    }
    this.cell = track(cell);
    setSupportsMasking(true);
  }

  /** An RNN around several cells, stacked with {@link StackedRNNCells}. */
  public RNN(List<RecurrentCell> cells) {
    this(new StackedRNNCells(cells));
  }

  /** Rebuilds from Keras's config ({@code cell}: a serialised cell, or a list of them). */
  @SuppressWarnings("unchecked")
  public static RNN fromConfig(Config c) {
    Object spec = c.get("cell");
    RecurrentCell cell;
    if (spec instanceof List) {
      List<RecurrentCell> cells = new ArrayList<>();
      for (Object o : (List<Object>) spec) {
        cells.add(cellFrom(o, "RNN 'cell'"));
      }
      cell = new StackedRNNCells(cells);
    } else {
      cell = cellFrom(spec, "RNN 'cell'");
    }
    return new RNN(cell).readRnnConfig(c);
  }

  /** A cell from its serialised form, failing clearly on anything else. */
  static RecurrentCell cellFrom(Object serialized, String where) {
    if (serialized == null) {
      throw new IllegalArgumentException(where + ": expected a serialised recurrent cell, found "
          + "nothing");
    }
    Layer l = Layer.REGISTRY.deserialize(serialized);
    if (!(l instanceof RecurrentCell)) {
      throw new IllegalArgumentException(where + ": expected a recurrent cell (SimpleRNNCell, "
          + "LSTMCell, GRUCell, StackedRNNCells or a registered RecurrentCell), found "
          + l.getClass().getSimpleName());
    }
    return (RecurrentCell) l;
  }

  /** Keras's RNN call takes {@code sequences} and {@code initial_state}: build_config says so. */
  @Override
  protected Map<String, Object> buildShapesDict() {
    return sequenceShapes(this);
  }

  /**
   * The build shapes of a layer whose Keras call is {@code call(sequences, initial_state)}:
   * the sequences, then the initial states (an {@code initial_state} argument, or tf.keras 2's
   * extra inputs) when the call that built it had them.
   */
  static Map<String, Object> sequenceShapes(Layer layer) {
    List<int[]> in = layer.buildInputShapes();
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("sequences", in.get(0));
    Object states = in.size() > 1 ? new ArrayList<>(in.subList(1, in.size()))
        : layer.buildArgumentShapes().get("initial_state");
    if (states != null) {
      m.put("initial_state", states);
    }
    return m;
  }

  /** Keras keeps an RNN's weights in its cell: {@code <rnn>/cell/vars}. */
  @Override
  public Map<String, Object> kerasChildren() {
    return Map.of("cell", cell);
  }

  /** Reads the keys every RNN shares (Keras's RNN base config, and tf.keras 2's time_major). */
  @SuppressWarnings("unchecked")
  protected <T extends RNN> T readRnnConfig(Config c) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    returnSequences(c.getBoolean("return_sequences", false));
    returnState(c.getBoolean("return_state", false));
    goBackwards(c.getBoolean("go_backwards", false));
    stateful(c.getBoolean("stateful", false));
    unroll(c.getBoolean("unroll", false));
    zeroOutputForMask(c.getBoolean("zero_output_for_mask", false));
    if (c.getBoolean("time_major", false)) {
      throw new IllegalArgumentException(c.getString("name", "RNN") + ": config key "
          + "'time_major' = true (inputs as (steps, batch, features), tf.keras 2) is not "
          + "supported by Sparkeras (nor by Keras 3); expected false");
    }
    Unsupported.requireNull(c, "activity_regularizer");
    return (T) this;
  }

  // ---- settings --------------------------------------------------------------------------

  /** Return every step's output {@code (batch, steps, ...)} instead of the last one. */
  public RNN returnSequences(boolean returnSequences) {
    this.returnSequences = returnSequences;
    return this;
  }

  /** Also return the final states, as further outputs after the output. */
  public RNN returnState(boolean returnState) {
    this.returnState = returnState;
    return this;
  }

  /**
   * Process the sequence from its last step to its first; with {@code returnSequences} the
   * outputs come in processing order (reversed), as in Keras.
   */
  public RNN goBackwards(boolean goBackwards) {
    this.goBackwards = goBackwards;
    return this;
  }

  /** Only {@code false}: Sparkeras does not carry states from one batch to the next. */
  public RNN stateful(boolean stateful) {
    if (stateful) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
          .getSimpleName() + "): stateful=true is not supported by Sparkeras (expected false; "
          + "states are not carried between batches, and data-parallel training on Spark has no "
          + "fixed batch order to carry them along)");
    }
    return this;
  }

  /** Kept for Keras config compatibility; the Java loop computes the same either way. */
  public RNN unroll(boolean unroll) {
    this.unroll = unroll;
    return this;
  }

  /** Output zeros (instead of the previous output) at masked steps. */
  public RNN zeroOutputForMask(boolean zeroOutputForMask) {
    this.zeroOutputForMask = zeroOutputForMask;
    return this;
  }

  public RecurrentCell cell() {
    return cell;
  }

  public boolean isReturnSequences() {
    return returnSequences;
  }

  public boolean isReturnState() {
    return returnState;
  }

  public boolean isGoBackwards() {
    return goBackwards;
  }

  public boolean isUnroll() {
    return unroll;
  }

  public boolean isZeroOutputForMask() {
    return zeroOutputForMask;
  }

  // ---- the life cycle --------------------------------------------------------------------

  /** The expected input form for error messages. */
  protected String inputForm() {
    return "(None, steps, features)";
  }

  /** Checks the input's rank; {@code (steps, features...)} with the step's rank the cell's. */
  protected void checkInputShape(int[] inputShape) {
    requireRank(inputShape, 2, inputForm());
  }

  /** tf.keras 2 passes initial states as extra inputs after the sequence: built from the first. */
  @Override
  public void build(List<int[]> inputShapes) {
    build(inputShapes.get(0));
  }

  @Override
  public void build(int[] inputShape) {
    checkInputShape(inputShape);
    cell.ensureBuilt(List.of(Arrays.copyOfRange(inputShape, 1, inputShape.length)));
  }

  /** The initial states of a call: its {@code initial_state} argument, or extra inputs. */
  private List<Tensor> initialStates(CallArgs args) {
    List<Tensor> given = args.tensors("initial_state");
    if (given == null && args.inputs().size() > 1) {
      given = args.inputs().subList(1, args.inputs().size());
    }
    if (given == null) {
      return cell.initialStates(args.input(0).dim(0));
    }
    List<int[]> shapes = cell.stateShapes();
    if (given.size() != shapes.size()) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
          .getSimpleName() + ") initial_state: expected " + shapes.size() + " states of shapes "
          + shapesOf(shapes) + ", found " + given.size());
    }
    for (int i = 0; i < given.size(); i++) {
      int[] s = given.get(i).shape();
      if (!Arrays.equals(Arrays.copyOfRange(s, 1, s.length), shapes.get(i))) {
        throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
            .getSimpleName() + ") initial_state " + i + ": expected shape "
            + shapeString(shapes.get(i)) + ", found " + Arrays.toString(s));
      }
    }
    return given;
  }

  private static String shapesOf(List<int[]> shapes) {
    List<String> l = new ArrayList<>();
    for (int[] s : shapes) {
      l.add(shapeString(s));
    }
    return l.toString();
  }

  /**
   * The mask this call applies: an explicit one, or the propagated one unless
   * {@code initial_state} came as an argument (Keras 3 then fills no {@code mask}).
   */
  private static Tensor maskOf(CallArgs args) {
    if (!args.masksExplicit() && args.arg("initial_state") != null) {
      return null;
    }
    return args.mask(0);
  }

  @Override
  public List<Tensor> call(CallArgs args) {
    Tensor x = args.input(0);
    if (x.dim(1) == 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
          .getSimpleName() + ") needs at least one timestep, found 0");
    }
    List<Tensor> out = RecurrentLoop.run(cell, x, initialStates(args), maskOf(args), goBackwards,
        returnSequences, zeroOutputForMask, args.training());
    return returnState ? out : List.of(out.get(0));
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return call(CallArgs.of(x).training(training)).get(0);
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    checkInputShape(inputShape);
    int[] step = cell.outputShape();
    if (!returnSequences) {
      return step;
    }
    int[] out = new int[step.length + 1];
    out[0] = inputShape[0];
    System.arraycopy(step, 0, out, 1, step.length);
    return out;
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> inputShapes, Map<String, Object> args) {
    List<int[]> out = new ArrayList<>();
    out.add(computeOutputShape(inputShapes.get(0)));
    if (returnState) {
      out.addAll(cell.stateShapes());
    }
    return out;
  }

  /** Keras: the input's mask on the output with {@code return_sequences}, none on the states. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    List<Tensor> out = new ArrayList<>(outputs.size());
    out.add(returnSequences ? args.mask(0) : null);
    for (int i = 1; i < outputs.size(); i++) {
      out.add(null);
    }
    return out;
  }

  /** Keras's RNN keys, in order (subclasses put their cell's keys after them). */
  protected Map<String, Object> rnnConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("return_sequences", returnSequences);
    m.put("return_state", returnState);
    m.put("go_backwards", goBackwards);
    m.put("stateful", false);
    m.put("unroll", unroll);
    m.put("zero_output_for_mask", zeroOutputForMask);
    return m;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = rnnConfig();
    m.put("cell", Layer.REGISTRY.serialize(cell));
    return m;
  }
}
