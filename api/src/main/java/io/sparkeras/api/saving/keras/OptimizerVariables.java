package io.sparkeras.api.saving.keras;

import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.core.optim.FlatOptimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The order of a Keras 3 optimizer's variables ({@code optimizer.variables}, saved as
 * {@code optimizer/vars/0..}) against the state slots of our {@link FlatOptimizer}:
 * {@code iterations} (int), {@code learning_rate} (float32, absent with a schedule), then the
 * slot variables, each of the shape of one trainable model variable. Keras creates them with
 * {@code add_optimizer_variables(vars, names)}, which interleaves the names of one call per
 * variable: Adam/AdamW's {@code momentum, velocity} pairs come interleaved (then
 * {@code velocity_hat} per variable with amsgrad); SGD's momentum, RMSprop's velocity / momentum
 * / average_gradient and Adagrad's accumulator are one call each.
 *
 * <pre>{@code
 * List<int[]> order = OptimizerVariables.slotOrder(model.getOptimizer(), trainableCount);
 * // order.get(k) = {slot, trainable variable index} of optimizer/vars/(k + fixed)
 * }</pre>
 */
public final class OptimizerVariables {
  private OptimizerVariables() {}

  /** How many variables precede the slots: iterations, and learning_rate unless a schedule. */
  public static int fixedCount(Optimizer optimizer) {
    return optimizer.getConfig().get("learning_rate") instanceof Number ? 2 : 1;
  }

  /**
   * {@code {slot, variable}} for each slot variable in Keras's order, for {@code slots} state
   * slots of rule {@code rule} over {@code variables} trainable variables.
   */
  public static List<int[]> slotOrder(String rule, int slots, int variables) {
    List<int[]> out = new ArrayList<>();
    int first = 0;
    if ((rule.equals("adam") || rule.equals("adamw")) && slots >= 2) {
      for (int v = 0; v < variables; v++) {
        out.add(new int[] {0, v});
        out.add(new int[] {1, v});
      }
      first = 2;
    }
    for (int s = first; s < slots; s++) {
      for (int v = 0; v < variables; v++) {
        out.add(new int[] {s, v});
      }
    }
    return out;
  }
}
