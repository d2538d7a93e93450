package io.sparkeras.backend.tensorflow;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.BackendParity;
import io.sparkeras.api.layers.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ops.einsum} on tensorflow ({@link EinsumLowering}: sums, transposes, reshapes and matrix
 * products, since TensorFlow's {@code Einsum} has no C++ gradient) gives torch's
 * {@code einsum} outputs and input gradients, for the equation shapes the lowering handles.
 * The first label of each equation is the batch axis the parity check adds.
 */
class EinsumLoweringTest {
  private static final BackendParity PARITY = BackendParity.between("torch", "tensorflow");

  /** A layer computing one einsum of its inputs. */
  private static final class Einsum extends Layer {
    private final String equation;

    Einsum(String equation) {
      this.equation = equation;
    }

    @Override
    public void build(List<int[]> inputShapes) {
      // no weights, any number of inputs
    }

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
      return ops().einsum(equation, inputs);
    }

    @Override
    public Tensor call(Tensor input, boolean training) {
      return ops().einsum(equation, List.of(input));
    }

    @Override
    public String toString() {
      return "einsum '" + equation + "'";
    }
  }

  private static void check(String equation, int[]... sampleShapes) {
    if (sampleShapes.length == 1) {
      PARITY.check(() -> new Einsum(equation), sampleShapes[0]);
    } else {
      PARITY.checkAll(() -> new Einsum(equation), List.of(sampleShapes));
    }
  }

  @Test
  void oneOperand() {
    check("bij->bji", new int[] {3, 4});
    check("bij->bj", new int[] {3, 4});
    check("bijk->bki", new int[] {2, 3, 4});
  }

  @Test
  void twoOperands() {
    check("bij,bjk->bik", new int[] {3, 4}, new int[] {4, 5});
    check("bij,bkj->bki", new int[] {3, 4}, new int[] {5, 4});
    check("bi,bi->b", new int[] {4}, new int[] {4});
    check("bi,bj->bij", new int[] {3}, new int[] {2});
    check("bij,bk->bk", new int[] {3, 2}, new int[] {4});
  }

  @Test
  void ellipsesAndBroadcasting() {
    check("...ij,...jk->...ik", new int[] {2, 3, 4}, new int[] {2, 4, 2});
    check("b...i,bi->b...", new int[] {3, 4}, new int[] {4});
    check("bij,bj->bi", new int[] {3, 1}, new int[] {4});
  }
}
