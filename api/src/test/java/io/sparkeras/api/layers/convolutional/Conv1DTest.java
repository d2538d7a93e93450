package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.layers.LayerTesting.range;
import static io.sparkeras.api.layers.LayerTesting.run;
import static io.sparkeras.api.layers.LayerTesting.shapeOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.sparkeras.api.initializers.Constant;
import io.sparkeras.api.layers.LayerTestHarness;
import io.sparkeras.api.testing.KerasReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class Conv1DTest {

  @Test
  void harness() {
    LayerTestHarness.of(() -> new Conv1D(3, 3)).inputShape(6, 2).expectOutputShape(4, 3).run();
    LayerTestHarness.of(() -> new Conv1D(4, 2).padding("causal").dilationRate(2)
        .activation("tanh")).inputShape(7, 2).expectOutputShape(7, 4).run();
    LayerTestHarness.of(() -> new Conv1D(2, 3).strides(2).padding("same").groups(2))
        .inputShape(7, 4).expectOutputShape(4, 2).run();
  }

  @Test
  void constantKernelSumsWindows() {
    Conv1D c = new Conv1D(1, 2).kernelInitializer(new Constant(1)).useBias(false);
    assertArrayEquals(new float[] {3, 5, 7}, run(c, false, range(4), 1, 4, 1), 1e-5f);
    assertArrayEquals(new int[] {2, 1, 1}, c.kernel().shape());
  }

  @Test
  void causalPaddingLooksOnlyBackwards() {
    Conv1D c = new Conv1D(1, 2).padding("causal").kernelInitializer(new Constant(1))
        .useBias(false);
    assertArrayEquals(new float[] {1, 3, 5, 7}, run(c, false, range(4), 1, 4, 1), 1e-5f);
    Conv1D dilated = new Conv1D(1, 2).padding("causal").dilationRate(2)
        .kernelInitializer(new Constant(1)).useBias(false);
    assertArrayEquals(new float[] {1, 2, 4, 6, 8}, run(dilated, false, range(5), 1, 5, 1), 1e-5f);
  }

  @Test
  void outputSizes() {
    assertArrayEquals(new int[] {1, 4, 2}, shapeOf(new Conv1D(2, 3).strides(2).padding("same"),
        1, 7, 1));
    assertArrayEquals(new int[] {1, 3, 2}, shapeOf(new Conv1D(2, 3).strides(2), 1, 7, 1));
    assertArrayEquals(new int[] {1, 4, 2}, shapeOf(new Conv1D(2, 3).strides(2).padding("causal"),
        1, 7, 1));
    assertArrayEquals(new int[] {1, 2}, new Conv1D(2, 3).dilationRate(2)
        .computeOutputShape(new int[] {5, 1}));
  }

  @Test
  void configRoundTripsCausal() {
    Conv1D c = new Conv1D(4, 3).padding("causal");
    assertEquals("causal", c.getConfig().get("padding"));
    assertEquals(List.of(3), c.getConfig().get("kernel_size"));
    Conv1D back = Conv1D.fromConfig(new io.sparkeras.api.config.Config("t", c.getConfig()));
    assertEquals(c.getConfig().toString(), back.getConfig().toString());
  }

  @Test
  void matchesKeras() {
    for (String name : new String[] {"conv1d_valid", "conv1d_same_strided",
        "conv1d_causal_dilated", "conv1d_channels_first_groups"}) {
      KerasReference.load(name).check();
    }
  }

  @Test
  void harnessChannelsFirst() {
    LayerTestHarness.of(() -> new Conv1D(2, 3).padding("causal").dataFormat("channels_first"))
        .inputShape(3, 6).expectOutputShape(2, 6).run();
  }

  @Test
  void rejectsWrongRank() {
    Conv1D c = new Conv1D(4, 3);
    c.name("seq_conv");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.build(new int[] {5, 5, 3}));
    assertTrue(e.getMessage().contains("seq_conv")
        && e.getMessage().contains("(None, steps, channels)"), e.getMessage());
  }
}
