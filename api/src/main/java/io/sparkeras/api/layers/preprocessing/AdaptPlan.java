package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.data.Columns;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts the preprocessing layers of a {@link HostPlan} in passes over the data: one pass adapts
 * every layer whose inputs can already be computed (raw inputs, or layers that need no adapt or
 * are adapted), so a plan whose adaptable layers read raw inputs (a FeatureSpace) adapts in one
 * pass; a layer after another adaptable layer waits for the next pass. A pass is run by a
 * {@link Source}: in memory over {@link Columns}, or over a Spark DataFrame (one state per
 * partition, merged).
 *
 * <pre>{@code
 * AdaptPlan.of(plan).run(AdaptPlan.inMemory(plan, columns));
 * }</pre>
 */
public final class AdaptPlan {
  /** Runs one pass over the data and returns one merged state per target step. */
  public interface Source {
    /**
     * @param targets indices of the steps to adapt (single-input adaptable layers)
     * @param run which steps to run per row (those the targets' inputs need)
     */
    List<AdaptState> pass(int[] targets, boolean[] run);
  }

  private final HostPlan plan;
  private final boolean[] adapted;
  private int passes;

  private AdaptPlan(HostPlan plan) {
    this.plan = plan;
    List<HostPlan.Step> steps = plan.steps();
    adapted = new boolean[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      adapted[i] = !steps.get(i).adaptable();
    }
  }

  public static AdaptPlan of(HostPlan plan) {
    return new AdaptPlan(plan);
  }

  /** Passes run so far. */
  public int passes() {
    return passes;
  }

  /** Steps that can be adapted in the next pass (empty when done). */
  public int[] nextWave() {
    List<HostPlan.Step> steps = plan.steps();
    List<Integer> wave = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (!adapted[i] && ready(i)) {
        if (steps.get(i).inputs.length != 1) {
          throw new IllegalStateException("layer '" + steps.get(i).layer.getName()
              + "' has several inputs and cannot adapt");
        }
        wave.add(i);
      }
    }
    return wave.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Whether every step producing step i's inputs (transitively) is adapted. */
  private boolean ready(int i) {
    for (int slot : plan.steps().get(i).inputs) {
      int producer = producerOf(slot);
      if (producer >= 0 && (!adapted[producer] || !ready(producer))) {
        return false;
      }
    }
    return true;
  }

  private int producerOf(int slot) {
    List<HostPlan.Step> steps = plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).output == slot) {
        return i;
      }
    }
    return -1;
  }

  /** The steps to run per row so that the targets' inputs are computed. */
  public boolean[] stepsFor(int[] targets) {
    boolean[] run = new boolean[plan.steps().size()];
    for (int t : targets) {
      mark(t, run, false);
    }
    return run;
  }

  private void mark(int i, boolean[] run, boolean self) {
    if (self) {
      run[i] = true;
    }
    for (int slot : plan.steps().get(i).inputs) {
      int producer = producerOf(slot);
      if (producer >= 0 && !run[producer]) {
        mark(producer, run, true);
      }
    }
  }

  /** Runs passes until every adaptable layer is adapted. */
  public void run(Source source) {
    for (int[] wave = nextWave(); wave.length > 0; wave = nextWave()) {
      List<AdaptState> states = source.pass(wave, stepsFor(wave));
      for (int k = 0; k < wave.length; k++) {
        plan.steps().get(wave[k]).preprocessing().finishAdapt(states.get(k));
        adapted[wave[k]] = true;
      }
      passes++;
    }
  }

  /** New states for the targets (one per target step). */
  public static AdaptState[] newStates(HostPlan plan, int[] targets) {
    AdaptState[] states = new AdaptState[targets.length];
    for (int k = 0; k < targets.length; k++) {
      states[k] = plan.steps().get(targets[k]).preprocessing().newAdaptState();
    }
    return states;
  }

  /**
   * Feeds the current row of {@code runner} (raw inputs filled) to the targets' states: runs the
   * needed steps, then updates each state with its layer's input.
   */
  public static void update(HostRunner runner, int[] targets, AdaptState[] states) {
    runner.run();
    for (int k = 0; k < targets.length; k++) {
      states[k].update(runner.stepInput(targets[k], 0));
    }
  }

  /** A source over in-memory columns named like the plan's inputs. */
  public static Source inMemory(HostPlan plan, Columns data) {
    return (targets, run) -> {
      HostArrays[] cols = new HostArrays[plan.inputs().size()];
      for (int i = 0; i < cols.length; i++) {
        String name = plan.inputNames().get(i);
        cols[i] = HostArrays.of("column '" + name + "'", data.get(name));
      }
      HostRunner runner = plan.newRunner(false, 0);
      runner.only(run);
      AdaptState[] states = newStates(plan, targets);
      for (int row = 0; row < data.length(); row++) {
        for (int i = 0; i < cols.length; i++) {
          cols[i].read(row, runner.input(i));
        }
        update(runner, targets, states);
      }
      return List.of(states);
    };
  }
}
