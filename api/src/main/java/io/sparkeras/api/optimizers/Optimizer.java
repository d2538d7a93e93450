package io.sparkeras.api.optimizers;

import io.sparkeras.api.config.Config;
import io.sparkeras.api.config.Configurable;
import io.sparkeras.api.config.Registry;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.core.optim.schedules.Schedules;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras-style optimizer: hyper-parameters, a learning rate or schedule, gradient clipping and
 * weight decay, with Keras 3's config keys. The update itself is sparkeras-core's
 * {@link FlatOptimizer} applied to the model's flat parameter vector, so local training and the
 * parameter server's shards run the very same code.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3).clipnorm(1.0);
 * Optimizer cosine = new SGD(new CosineDecay(0.1, 10_000, 0.0)).momentum(0.9);
 * model.compile(opt, Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 * opt.setLearningRate(1e-4);      // e.g. from a callback
 * }</pre>
 */
public abstract class Optimizer implements Configurable {
  /** Optimizers by Keras name: configs and custom registrations ({@link Registry}). */
  public static final Registry<Optimizer> REGISTRY =
      new Registry<>("optimizer", "keras.optimizers", "Optimizer.REGISTRY");

  private final String name;
  private double learningRate;
  private LearningRateSchedule schedule;
  private Double clipnorm;
  private Double clipvalue;
  private Double globalClipnorm;
  private Double weightDecay;
  private FlatOptimizer flat;

  protected Optimizer(String name, double learningRate) {
    this.name = name;
    setLearningRateValue(learningRate);
  }

  protected Optimizer(String name, LearningRateSchedule schedule) {
    this.name = name;
    this.schedule = schedule;
  }

  /** Reads the base keys of a Keras optimizer config into a new optimizer. */
  @SuppressWarnings("unchecked")
  protected final void readBaseConfig(Config c) {
    Object lr = c.get("learning_rate");
    if (lr instanceof Map) {
      schedule = Schedules.fromKerasConfig((Map<String, Object>) lr);
    } else if (lr != null) {
      setLearningRateValue(c.getDouble("learning_rate"));
    }
    clipnorm = optional(c, "clipnorm");
    clipvalue = optional(c, "clipvalue");
    globalClipnorm = optional(c, "global_clipnorm");
    weightDecay = optional(c, "weight_decay");
    for (String off : new String[] {"use_ema"}) {
      if (c.getBoolean(off, false)) {
        throw new IllegalArgumentException(name + ": config key '" + off + "' is not supported "
            + "yet (expected false)");
      }
    }
    for (String k : new String[] {"loss_scale_factor", "gradient_accumulation_steps"}) {
      if (c.has(k)) {
        throw new IllegalArgumentException(name + ": config key '" + k + "' is not supported yet "
            + "(expected null), found " + c.get(k));
      }
    }
  }

  private static Double optional(Config c, String key) {
    return c.has(key) ? c.getDouble(key) : null;
  }

  private void setLearningRateValue(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException(name + " learning_rate: expected a finite number >= 0, "
          + "found " + lr);
    }
    this.learningRate = lr;
  }

  public String name() {
    return name;
  }

  /**
   * The Keras name of the update rule ("adam", "adamw", "sgd", "rmsprop", "adagrad"): what the
   * parameter server's shards run ({@code FlatOptimizer.fromKerasConfig(ruleName(), ...)}).
   * Unlike {@link #name()} (Keras's {@code name=}, free to set) it never changes.
   */
  public abstract String ruleName();

  /** Clips each variable's gradient to this L2 norm (Keras's {@code clipnorm}). */
  public Optimizer clipnorm(double v) {
    clipnorm = v;
    return this;
  }

  /** Clips each gradient value into [-v, v] (Keras's {@code clipvalue}). */
  public Optimizer clipvalue(double v) {
    clipvalue = v;
    return this;
  }

  /** Clips all gradients together to this global L2 norm. */
  public Optimizer globalClipnorm(double v) {
    globalClipnorm = v;
    return this;
  }

  /** Decoupled weight decay {@code p -= p * weight_decay * lr}, before each update. */
  public Optimizer weightDecay(double v) {
    weightDecay = v;
    return this;
  }

  protected Double weightDecayValue() {
    return weightDecay;
  }

  /** The learning rate of the next step. */
  public double getLearningRate() {
    if (schedule == null) {
      return learningRate;
    }
    return flat != null ? flat.currentLearningRate() : schedule.learningRate(0);
  }

  /** Sets a constant learning rate from the next step on (the optimizer state is kept). */
  public void setLearningRate(double lr) {
    setLearningRateValue(lr);
    schedule = null;
    if (flat != null) {
      flat.setLearningRate(lr);
    }
  }

  /** Steps applied so far (Keras's {@code iterations}). */
  public long iterations() {
    return flat == null ? 0 : flat.iterations();
  }

  /**
   * Allocates the optimizer's state for a flat vector of {@code size} floats of which only the
   * given {@code [from, to)} ranges (one per variable, in order) are trainable.
   */
  public void build(int size, List<int[]> trainableRanges) {
    int[] pairs = new int[trainableRanges.size() * 2];
    for (int i = 0; i < trainableRanges.size(); i++) {
      pairs[2 * i] = trainableRanges.get(i)[0];
      pairs[2 * i + 1] = trainableRanges.get(i)[1];
    }
    flat = FlatOptimizer.fromKerasConfig(ruleName(), getConfig(), size, pairs)
        .parallelism(io.sparkeras.api.backend.Backends.current().threads());
  }

  public boolean isBuilt() {
    return flat != null;
  }

  /** The engine-free optimizer behind this one, once built (its state is what checkpoints hold). */
  public FlatOptimizer flatOptimizer() {
    return flat;
  }

  /** One step: clips, then updates the trainable ranges of {@code params} from {@code grads}. */
  public void apply(FloatBuffer params, FloatBuffer grads) {
    if (flat == null) {
      throw new IllegalStateException(name + ": build() before apply()");
    }
    flat.step(params, grads);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("name", name);
    if (schedule != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("module", "keras.optimizers.schedules");
      s.put("class_name", schedule.className());
      s.put("config", schedule.config());
      s.put("registered_name", null);
      m.put("learning_rate", s);
    } else {
      m.put("learning_rate", learningRate);
    }
    m.put("weight_decay", weightDecay);
    m.put("clipnorm", clipnorm);
    m.put("global_clipnorm", globalClipnorm);
    m.put("clipvalue", clipvalue);
    m.put("use_ema", false);
    m.put("ema_momentum", 0.99);
    m.put("ema_overwrite_frequency", null);
    m.put("loss_scale_factor", null);
    m.put("gradient_accumulation_steps", null);
    return m;
  }
}
