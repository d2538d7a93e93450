package io.sparkeras.api.layers.rnn;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.KerasWeightLayout;
import io.sparkeras.api.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several cells run one after the other within each step, as Keras's {@code StackedRNNCells}:
 * each cell's output is the next cell's input; the states are every cell's states in order
 * (two LSTM cells: {@code [h1, c1, h2, c2]}), the output the last cell's. {@code new RNN(cells)}
 * stacks a list of cells with it.
 *
 * <pre>{@code new RNN(List.of(new LSTMCell(64), new LSTMCell(32))).returnSequences(true); }</pre>
 */
public class StackedRNNCells extends RecurrentCell implements KerasWeightLayout {
  private final List<RecurrentCell> cells;

  public StackedRNNCells(List<RecurrentCell> cells) {
    if (cells == null || cells.isEmpty()) {
      throw new IllegalArgumentException("StackedRNNCells cells: expected at least one cell");
    }
    this.cells = List.copyOf(cells);
    for (RecurrentCell c : this.cells) {
      track(c);
    }
  }

  /** Rebuilds from Keras's config ({@code cells}: a list of serialised cells). */
  @SuppressWarnings("unchecked")
  public static StackedRNNCells fromConfig(Config c) {
    Object list = c.get("cells");
    if (!(list instanceof List) || ((List<Object>) list).isEmpty()) {
      throw new IllegalArgumentException(c.getString("name", "StackedRNNCells")
          + ": config key 'cells' expected a non-empty list of cells, found " + list);
    }
    List<RecurrentCell> cells = new ArrayList<>();
    for (Object o : (List<Object>) list) {
      cells.add(RNN.cellFrom(o, "StackedRNNCells 'cells'"));
    }
    StackedRNNCells s = new StackedRNNCells(cells);
    s.name(c.getString("name", null));
    s.trainable(c.getBoolean("trainable", true));
    return s;
  }

  public List<RecurrentCell> cells() {
    return cells;
  }

  /** Keras's layout: the list {@code cells}, each cell named by its class ({@code cells/lstm_cell}). */
  @Override
  public Map<String, Object> kerasChildren() {
    return Map.of("cells", cells);
  }

  @Override
  public void build(int[] stepInputShape) {
    int[] in = stepInputShape;
    for (RecurrentCell c : cells) {
      c.ensureBuilt(List.of(in));
      in = c.outputShape();
    }
  }

  @Override
  public List<int[]> stateShapes() {
    List<int[]> out = new ArrayList<>();
    for (RecurrentCell c : cells) {
      out.addAll(c.stateShapes());
    }
    return out;
  }

  @Override
  public int[] outputShape() {
    return cells.get(cells.size() - 1).outputShape();
  }

  /** The last cell's output state. */
  @Override
  public int outputStateIndex() {
    int offset = 0;
    for (int i = 0; i < cells.size() - 1; i++) {
      offset += cells.get(i).stateShapes().size();
    }
    return offset + cells.get(cells.size() - 1).outputStateIndex();
  }

  @Override
  public List<Tensor> initialStates(int batch) {
    List<Tensor> out = new ArrayList<>();
    for (RecurrentCell c : cells) {
      out.addAll(c.initialStates(batch));
    }
    return out;
  }

  /** Only the first cell sees the sequence; the others see the previous cell's step output. */
  @Override
  public Tensor projectSequence(Tensor sequence, boolean training) {
    return cells.get(0).projectSequence(sequence, training);
  }

  @Override
  public Step step(Tensor projected, List<Tensor> states, boolean training) {
    List<Tensor> newStates = new ArrayList<>(states.size());
    Tensor x = null;
    int offset = 0;
    for (int i = 0; i < cells.size(); i++) {
      RecurrentCell c = cells.get(i);
      int n = c.stateShapes().size();
      List<Tensor> own = states.subList(offset, offset + n);
      Step s = i == 0 ? c.step(projected, own, training) : c.call(x, own, training);
      x = s.output();
      newStates.addAll(s.states());
      offset += n;
    }
    return new Step(x, newStates);
  }

  @Override
  public void endSequence() {
    for (RecurrentCell c : cells) {
      c.endSequence();
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    List<Object> serialized = new ArrayList<>();
    for (RecurrentCell c : cells) {
      serialized.add(Layer.REGISTRY.serialize(c));
    }
    m.put("cells", serialized);
    return m;
  }
}
