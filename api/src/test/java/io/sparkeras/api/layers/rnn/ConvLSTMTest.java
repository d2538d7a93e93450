package io.sparkeras.api.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConvLSTM1D, ConvLSTM2D and ConvLSTM3D. */
class ConvLSTMTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new ConvLSTM1D(2, 2).padding("same")).inputShape(2, 3, 1)
        .expectOutputShape(3, 2).run();
    LayerTestHarness.of(() -> new ConvLSTM2D(1, 2).returnSequences(true)
        .dataFormat("channels_first")).inputShape(2, 1, 3, 3).expectOutputShape(2, 1, 2, 2)
        .run();
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"conv_lstm1d_sequences", "conv_lstm2d_same",
        "conv_lstm2d_channels_first_states", "conv_lstm3d"}) {
      KerasReference.load(name).check();
    }
    KerasReference.load("conv_lstm2d_channels_first_states").checkJsonRoundTrip();
  }

  @Test
  void weightsAndConfigFollowKeras() {
    ConvLSTM2D c = new ConvLSTM2D(4, new int[] {3, 2}).strides(2);
    c.build(new int[] {5, 7, 6, 3});
    List<Variable> w = c.weights();
    assertArrayEquals(new int[] {3, 2, 3, 16}, w.get(0).shape());
    assertArrayEquals(new int[] {3, 2, 4, 16}, w.get(1).shape());
    assertArrayEquals(new int[] {16}, w.get(2).shape());
    assertArrayEquals(new int[] {3, 3, 4}, c.computeOutputShape(new int[] {5, 7, 6, 3}));
    Map<String, Object> cfg = c.getConfig();
    assertEquals(List.of("name", "trainable", "dtype", "return_sequences", "return_state",
        "go_backwards", "stateful", "unroll", "zero_output_for_mask", "filters", "kernel_size",
        "strides", "padding", "data_format", "dilation_rate", "activation",
        "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint", "dropout", "recurrent_dropout", "seed"), List.copyOf(cfg.keySet()));
  }
}
