package io.sparkeras.api.optimizers;

import io.sparkeras.api.saving.Config;
import io.sparkeras.api.saving.Configurable;
import io.sparkeras.core.optim.UpdateRule;
import io.sparkeras.core.optim.UpdateRules;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Keras-style optimizer. The update math is the engine-free {@link UpdateRule} of
 * sparkeras-core, applied to the model's flat parameter vector, so local training and the
 * parameter server's shards run the very same code.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3);
 * model.compile(opt, Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 * opt.setLearningRate(1e-4);      // e.g. from a callback
 * }</pre>
 */
public abstract class Optimizer implements Configurable {
  private final String name;
  private double learningRate;
  private UpdateRule rule;
  private FloatBuffer[] state;
  private int[][] ranges;
  private long iterations;

  protected Optimizer(String name, double learningRate) {
    if (!(learningRate >= 0)) {
      throw new IllegalArgumentException(name + " learning_rate: expected a number >= 0, found "
          + learningRate);
    }
    this.name = name;
    this.learningRate = learningRate;
  }

  /** Reads the base keys of a Keras optimizer config. */
  protected static double learningRateOf(Config c, double dflt) {
    Object lr = c.get("learning_rate");
    if (lr instanceof Map) {
      throw new IllegalArgumentException(c.getString("name", "optimizer") + ": learning-rate "
          + "schedules in configs are not supported yet; found " + lr);
    }
    return c.getDouble("learning_rate", dflt);
  }

  public String name() {
    return name;
  }

  /** The Keras registered name of the update rule ("adam"). */
  protected abstract String ruleName();

  public double getLearningRate() {
    return learningRate;
  }

  public void setLearningRate(double lr) {
    if (!(lr >= 0)) {
      throw new IllegalArgumentException(name + " learning_rate: expected a number >= 0, found "
          + lr);
    }
    this.learningRate = lr;
  }

  /** Steps applied so far (Keras's {@code iterations}). */
  public long iterations() {
    return iterations;
  }

  /**
   * Allocates the optimizer's state for a flat vector of {@code size} floats of which only the
   * given {@code [from, to)} ranges are trainable.
   */
  public void build(int size, List<int[]> trainableRanges) {
    rule = UpdateRules.create(ruleName(), getConfig());
    state = UpdateRules.allocateState(rule, size);
    ranges = trainableRanges.toArray(new int[0][]);
    iterations = 0;
  }

  public boolean isBuilt() {
    return rule != null;
  }

  /** One step: updates the trainable ranges of {@code params} from {@code grads}. */
  public void apply(FloatBuffer params, FloatBuffer grads) {
    if (rule == null) {
      throw new IllegalStateException(name + ": build() before apply()");
    }
    long step = iterations + 1;
    float lr = (float) learningRate;
    for (int[] r : ranges) {
      rule.apply(params, grads, state, r[0], r[1], step, lr);
    }
    iterations = step;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("name", name);
    m.put("learning_rate", learningRate);
    m.put("weight_decay", null);
    m.put("clipnorm", null);
    m.put("global_clipnorm", null);
    m.put("clipvalue", null);
    m.put("use_ema", false);
    m.put("ema_momentum", 0.99);
    m.put("ema_overwrite_frequency", null);
    m.put("loss_scale_factor", null);
    m.put("gradient_accumulation_steps", null);
    return m;
  }
}
