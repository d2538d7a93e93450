package io.sparkeras.api.layers.rnn;

import static io.sparkeras.api.backend.Backends.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Orthogonal;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic RNN layer with cells, StackedRNNCells, states and custom cells. */
class RNNTest {

  /** The javadoc's minimal cell: h = x @ kernel + h @ recurrent_kernel. */
  public static final class MinimalCell extends RecurrentCell {
    private final int units;
    private Variable kernel;
    private Variable recurrent;

    public MinimalCell(int units) {
      this.units = units;
    }

    MinimalCell(Config c) {
      super(c);
      this.units = c.getInt("units");
    }

    @Override
    public void build(int[] in) {
      kernel = addWeight("kernel", new int[] {in[0], units}, new GlorotUniform(), true);
      recurrent = addWeight("recurrent_kernel", new int[] {units, units}, new Orthogonal(), true);
    }

    @Override
    public List<int[]> stateShapes() {
      return List.of(new int[] {units});
    }

    @Override
    public Step step(Tensor x, List<Tensor> states, boolean training) {
      Tensor h = ops().add(ops().matmul(x, kernel.value()),
          ops().matmul(states.get(0), recurrent.value()));
      return new Step(h, List.of(h));
    }

    @Override
    public Map<String, Object> getConfig() {
      Map<String, Object> m = super.getConfig();
      m.put("units", units);
      return m;
    }
  }

  static {
    Layer.REGISTRY.register("MinimalCell", "Tests", MinimalCell.class, MinimalCell::new);
  }

  @Test
  void harness() {
    LayerTestHarness.of(() -> new RNN(new LSTMCell(3))).inputShape(4, 2).expectOutputShape(3)
        .run();
    LayerTestHarness.of(() -> new RNN(List.of(new GRUCell(3), new SimpleRNNCell(2)))
        .returnSequences(true)).inputShape(3, 2).expectOutputShape(3, 2).run();
    LayerTestHarness.of(() -> new RNN(new MinimalCell(2)).goBackwards(true)).inputShape(3, 2)
        .expectOutputShape(2).run();
  }

  @Test
  void matchesKeras() {
    KerasReference.load("rnn_lstm_cell").check();
    KerasReference.load("rnn_stacked_cells").check();
    KerasReference.load("rnn_stacked_cells").checkJsonRoundTrip();
  }

  @Test
  void stackedCellsChainOutputsAndConcatenateStates() {
    StackedRNNCells s = new StackedRNNCells(List.of(new LSTMCell(4), new GRUCell(3)));
    RNN r = new RNN(s).returnState(true);
    KerasTensor x = Input.of(5, 2);
    List<KerasTensor> out = r.applyAll(List.of(x), Map.of());
    assertEquals(4, out.size(), "output, h1, c1, h2");
    assertArrayEquals(new int[] {3}, out.get(0).shape());
    assertArrayEquals(new int[] {4}, out.get(1).shape());
    assertArrayEquals(new int[] {3}, out.get(3).shape());
    assertEquals(2, s.outputStateIndex(), "the last cell's h is the stack's output state");
    assertEquals(6, r.weights().size(), "both cells' kernel, recurrent kernel and bias");
  }

  @Test
  void customCellsWorkAndRoundTrip() {
    RNN r = new RNN(new MinimalCell(3)).returnSequences(true);
    Map<String, Object> ser = Layer.REGISTRY.serialize(r);
    RNN back = (RNN) Layer.REGISTRY.deserialize(
        new com.fasterxml.jackson.databind.ObjectMapper().convertValue(ser, Map.class));
    assertTrue(back.cell() instanceof MinimalCell);
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().ones(2, 4, 2);
      assertArrayEquals(new int[] {2, 4, 3}, r.apply(x).shape());
    }
  }

  @Test
  void initialStatesAreCheckedByCountAndShape() {
    LSTM l = new LSTM(3);
    l.name("enc");
    try (Scope s = Backends.current().scope(false)) {
      Tensor x = ops().ones(2, 4, 2);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> l.applyAll(CallArgs.of(x).arg("initial_state", List.of(ops().zeros(2, 3)))));
      assertTrue(e.getMessage().contains("enc") && e.getMessage().contains("expected 2 states"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> l.applyAll(CallArgs.of(x)
          .arg("initial_state", List.of(ops().zeros(2, 3), ops().zeros(2, 4)))));
      assertTrue(e.getMessage().contains("initial_state 1") && e.getMessage().contains("(None, 3)"),
          e.getMessage());
    }
  }

  @Test
  void refusesStatefulAndDirectCellCalls() {
    Map<String, Object> c = new java.util.HashMap<>(new RNN(new SimpleRNNCell(2)).getConfig());
    c.put("stateful", true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Layer.REGISTRY.create("RNN", c));
    assertTrue(e.getMessage().contains("stateful=true is not supported"), e.getMessage());
    Map<String, Object> noCell = new java.util.HashMap<>();
    e = assertThrows(IllegalArgumentException.class, () -> Layer.REGISTRY.create("RNN", noCell));
    assertTrue(e.getMessage().contains("cell"), e.getMessage());
    UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
        () -> new LSTMCell(2).call(ops().ones(1, 2), false));
    assertTrue(u.getMessage().contains("new RNN(cell)"), u.getMessage());
  }
}
