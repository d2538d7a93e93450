package io.sparkeras.core.optim;

import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.core.optim.schedules.Schedules;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One optimizer over a flat float parameter vector, the way Keras's {@code BaseOptimizer.apply}
 * runs: an {@link UpdateRule}, its state buffers, the step counter ({@code iterations}), the
 * learning rate (constant or {@link LearningRateSchedule}), gradient clipping and the list of
 * trainable {@code [from, to)} ranges, one per Keras variable (adjacent variables stay separate
 * ranges, because {@code clipnorm} is per variable). Elements outside the ranges (non-trainable
 * weights) are never read or written.
 *
 * <p>{@link #step} does, in Keras's order: clip the gradients of the trainable ranges (in place:
 * the caller's gradient buffer is modified); take {@code lr = schedule(iterations)}; apply the
 * rule (including its weight decay) to each range with step number {@code iterations + 1};
 * {@code iterations++}. It allocates nothing. Buffers use absolute indexing (position and mark
 * are ignored) and must have a limit of at least {@link #size()}. Not thread-safe: one thread
 * owns an instance.
 *
 * <p>{@link #saveState()} / {@link #loadState(State)} capture and restore {@code iterations} and
 * every state slot exactly, so a run restored from a checkpoint continues bit-for-bit.
 *
 * <pre>{@code
 * FlatOptimizer opt = FlatOptimizer.builder(UpdateRules.create("adamw", Map.of()))
 *     .schedule(new CosineDecay(1e-3, 10_000, 0.0))
 *     .globalClipNorm(1.0)
 *     .trainableRange(0, 100_352)          // Dense kernel [784, 128]
 *     .trainableRange(100_352, 100_480)    // its bias
 *     .build(params.capacity());
 * opt.step(params, grads);                 // once per training step
 * FlatOptimizer.State checkpoint = opt.saveState();
 * // or, from Keras's optimizer.get_config():
 * FlatOptimizer same = FlatOptimizer.fromKerasConfig("adam",
 *     Map.of("learning_rate", 1e-3, "clipnorm", 1.0), params.capacity(), ranges);
 * }</pre>
 */
public final class FlatOptimizer {

  /** Which of Keras's mutually exclusive clipping settings is active. */
  public enum Clipping {
    /** No clipping. */
    NONE,
    /** Keras {@code clipvalue}: elementwise. */
    VALUE,
    /** Keras {@code clipnorm}: each variable (range) to this L2 norm. */
    NORM,
    /** Keras {@code global_clipnorm}: all trainable ranges together to this L2 norm. */
    GLOBAL_NORM
  }

  private final UpdateRule rule;
  private final UpdateRule ruleWithoutDecay;
  private final boolean[] decayed;
  private LearningRateSchedule schedule;
  private final int size;
  private final int[] ranges;
  private final Clipping clipping;
  private final float clipLimit;
  private final FloatBuffer[] state;
  private long iterations;

  private FlatOptimizer(Builder b, int size) {
    this.rule = b.rule;
    this.schedule = b.schedule;
    this.size = size;
    this.clipping = b.clipping;
    this.clipLimit = (float) b.clipLimit;
    if (b.ranges.isEmpty()) {
      this.ranges = new int[] {0, size};
      this.decayed = new boolean[] {true};
    } else {
      this.ranges = new int[b.ranges.size() * 2];
      this.decayed = new boolean[b.ranges.size()];
      for (int r = 0; r < b.ranges.size(); r++) {
        this.ranges[2 * r] = b.ranges.get(r)[0];
        this.ranges[2 * r + 1] = b.ranges.get(r)[1];
        this.decayed[r] = b.ranges.get(r)[2] != 0;
      }
    }
    boolean anyExcluded = false;
    for (boolean d : decayed) {
      anyExcluded |= !d;
    }
    // Only asked for when needed: a custom rule with weight decay need not implement it.
    this.ruleWithoutDecay = anyExcluded ? rule.withoutWeightDecay() : rule;
    if (ruleWithoutDecay.stateSlots() != rule.stateSlots()) {
      throw new IllegalStateException(rule.name() + ".withoutWeightDecay() changed the state "
          + "layout: " + rule.stateSlots() + " slots became " + ruleWithoutDecay.stateSlots());
    }
    int prevTo = 0;
    for (int r = 0; r < ranges.length; r += 2) {
      int from = ranges[r];
      int to = ranges[r + 1];
      if (from < prevTo || to < from || to > size) {
        throw new IllegalArgumentException("trainable range " + (r / 2) + ": expected [from, to) "
            + "with " + prevTo + " <= from <= to <= " + size + " (ranges sorted, not overlapping, "
            + "inside the " + size + " parameters), found [" + from + ", " + to + ")");
      }
      prevTo = to;
    }
    this.state = UpdateRules.allocateState(rule, size);
  }

  /**
   * Starts a builder around {@code rule}; the learning rate defaults to Keras's default for its
   * name (0.001 for a name Keras does not register).
   */
  public static Builder builder(UpdateRule rule) {
    return new Builder(rule);
  }

  /**
   * Builds an optimizer from a Keras optimizer name and {@code get_config()} values: the rule (see
   * {@link UpdateRules#create}), {@code learning_rate} (a number or a serialized schedule,
   * default per {@link UpdateRules#defaultLearningRate}) and {@code clipnorm} /
   * {@code clipvalue} / {@code global_clipnorm} (active when &gt; 0, as in Keras).
   *
   * @param ranges {@code {from0, to0, from1, to1, ...}}, one pair per trainable variable; null or
   *     empty for the whole vector
   */
  public static FlatOptimizer fromKerasConfig(String name, Map<String, ?> config, int size,
      int[] ranges) {
    return fromKerasConfig(name, config, size, ranges, null);
  }

  /**
   * As {@link #fromKerasConfig(String, Map, int, int[])}, with {@code weightDecay[k]} false for
   * each range {@code k} excluded from weight decay (Keras's {@code exclude_from_weight_decay});
   * null means every range is decayed.
   */
  public static FlatOptimizer fromKerasConfig(String name, Map<String, ?> config, int size,
      int[] ranges, boolean[] weightDecay) {
    UpdateRule rule = UpdateRules.create(name, config); // validates every key
    Builder b = builder(rule);
    Object lr = config.get("learning_rate");
    if (lr instanceof Map) {
      b.schedule(Schedules.fromKerasConfig((Map<?, ?>) lr));
    } else if (lr != null) {
      b.learningRate(((Number) lr).doubleValue());
    }
    double clipNorm = num(config, "clipnorm");
    double clipValue = num(config, "clipvalue");
    double globalClipNorm = num(config, "global_clipnorm");
    if (clipNorm > 0) {
      b.clipNorm(clipNorm);
    } else if (globalClipNorm > 0) {
      b.globalClipNorm(globalClipNorm);
    } else if (clipValue > 0) {
      b.clipValue(clipValue);
    }
    if (ranges != null) {
      if (ranges.length % 2 != 0) {
        throw new IllegalArgumentException("trainable ranges: expected pairs {from, to, ...}, "
            + "found " + ranges.length + " numbers");
      }
      if (weightDecay != null && weightDecay.length != ranges.length / 2) {
        throw new IllegalArgumentException("weight decay flags: expected one per trainable range ("
            + ranges.length / 2 + "), found " + weightDecay.length);
      }
      for (int r = 0; r < ranges.length; r += 2) {
        b.trainableRange(ranges[r], ranges[r + 1], weightDecay == null || weightDecay[r / 2]);
      }
    }
    return b.build(size);
  }

  private static double num(Map<String, ?> config, String key) {
    Object v = config.get(key);
    return v == null ? 0.0 : ((Number) v).doubleValue();
  }

  /**
   * One optimizer step: clip {@code grads} (in place), apply the rule to every trainable range of
   * {@code params} with this step's learning rate, then increment {@link #iterations()}.
   */
  public void step(FloatBuffer params, FloatBuffer grads) {
    if (params.limit() < size || grads.limit() < size) {
      throw new IllegalArgumentException("step: expected params and grads with limit >= " + size
          + ", found params " + params.limit() + ", grads " + grads.limit());
    }
    int[] r = ranges;
    switch (clipping) {
      case VALUE:
        GradientClipping.clipByValue(grads, r, clipLimit);
        break;
      case NORM:
        GradientClipping.clipByNorm(grads, r, clipLimit);
        break;
      case GLOBAL_NORM:
        GradientClipping.clipByGlobalNorm(grads, r, clipLimit);
        break;
      default:
        break;
    }
    float lr = schedule.learningRate(iterations);
    long t = iterations + 1;
    if (parts == null) {
      for (int i = 0; i < r.length; i += 2) {
        UpdateRule u = decayed[i >> 1] ? rule : ruleWithoutDecay;
        u.apply(params, grads, state, r[i], r[i + 1], t, lr);
      }
    } else {
      stepInParallel(params, grads, t, lr);
    }
    iterations = t;
  }

  // ---- optional parallel update ------------------------------------------------------------

  private static final int MIN_PARALLEL_FLOATS = 1 << 16;
  private static volatile java.util.concurrent.ExecutorService helpers;
  /** Per part: {rangeIndex, from, to, rangeIndex, from, to, ...}; null = sequential. */
  private int[][] parts;

  /**
   * Spreads each step's update over {@code threads} threads (the caller and {@code threads - 1}
   * shared daemon helpers), splitting the trainable ranges into contiguous parts of equal size.
   * The update rules are element-wise, so the result is bit-identical to the sequential step.
   * Clipping still runs on the caller first. Small vectors (under 65,536 trainable floats) stay
   * sequential. Each parallel step allocates a few small task objects.
   */
  public FlatOptimizer parallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism: expected >= 1 threads, found " + threads);
    }
    long total = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      total += ranges[i + 1] - ranges[i];
    }
    if (threads == 1 || total < MIN_PARALLEL_FLOATS) {
      parts = null;
      return this;
    }
    int[][] p = new int[threads][];
    long per = (total + threads - 1) / threads;
    int range = 0;
    int pos = ranges.length == 0 ? 0 : ranges[0];
    for (int k = 0; k < threads; k++) {
      List<Integer> part = new ArrayList<>();
      long left = per;
      while (left > 0 && range < ranges.length) {
        int end = ranges[range + 1];
        int take = (int) Math.min(left, end - pos);
        if (take > 0) {
          part.add(range >> 1);
          part.add(pos);
          part.add(pos + take);
          pos += take;
          left -= take;
        }
        if (pos >= end) {
          range += 2;
          if (range < ranges.length) {
            pos = ranges[range];
          }
        }
      }
      p[k] = part.stream().mapToInt(Integer::intValue).toArray();
    }
    parts = p;
    return this;
  }

  private void applyPart(int[] part, FloatBuffer params, FloatBuffer grads, long t, float lr) {
    for (int j = 0; j < part.length; j += 3) {
      UpdateRule u = decayed[part[j]] ? rule : ruleWithoutDecay;
      u.apply(params, grads, state, part[j + 1], part[j + 2], t, lr);
    }
  }

  private static java.util.concurrent.ExecutorService helpers() {
    java.util.concurrent.ExecutorService h = helpers;
    if (h == null) {
      synchronized (FlatOptimizer.class) {
        h = helpers;
        if (h == null) {
          h = java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread th = new Thread(task, "sparkeras-optimizer");
            th.setDaemon(true);
            return th;
          });
          helpers = h;
        }
      }
    }
    return h;
  }

  private void stepInParallel(FloatBuffer params, FloatBuffer grads, long t, float lr) {
    int[][] p = parts;
    java.util.concurrent.Future<?>[] pending = new java.util.concurrent.Future<?>[p.length - 1];
    for (int k = 1; k < p.length; k++) {
      int[] part = p[k];
      pending[k - 1] = helpers().submit(() -> applyPart(part, params, grads, t, lr));
    }
    applyPart(p[0], params, grads, t, lr);
    for (java.util.concurrent.Future<?> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("optimizer step interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("optimizer step failed: " + e.getCause(), e.getCause());
      }
    }
  }

  /**
   * Replaces the learning rate by a constant one from the next step on (what Keras's
   * {@code optimizer.learning_rate = x} does, e.g. from ReduceLROnPlateau); the state is kept.
   */
  public void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning_rate: expected a finite number >= 0, found "
          + learningRate);
    }
    this.schedule = Schedules.constant(learningRate);
  }

  /** Keras's {@code iterations}: how many steps have been applied. */
  public long iterations() {
    return iterations;
  }

  /** The learning rate the next {@link #step} will use. */
  public float currentLearningRate() {
    return schedule.learningRate(iterations);
  }

  /** The update rule. */
  public UpdateRule rule() {
    return rule;
  }

  /** The learning-rate schedule (a {@code ConstantLearningRate} for a fixed rate). */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /** The length of the flat parameter vector. */
  public int size() {
    return size;
  }

  /** The trainable ranges as {@code {from0, to0, from1, to1, ...}} (a copy). */
  public int[] trainableRanges() {
    return ranges.clone();
  }

  /** Whether trainable range {@code k} gets the rule's weight decay. */
  public boolean weightDecayed(int k) {
    return decayed[k];
  }

  /** The active clipping mode. */
  public Clipping clipping() {
    return clipping;
  }

  /** The clipping limit (clipvalue, clipnorm or global_clipnorm), 0 when none. */
  public float clipLimit() {
    return clipLimit;
  }

  /** A read-only view of state slot {@code slot}, laid out like the parameters. */
  public FloatBuffer stateView(int slot) {
    return state[slot].asReadOnlyBuffer();
  }

  /** Copies {@code iterations} and every state slot into a new {@link State}. */
  public State saveState() {
    float[][] slots = new float[state.length][];
    for (int s = 0; s < state.length; s++) {
      slots[s] = new float[size];
      state[s].get(0, slots[s], 0, size);
    }
    return new State(iterations, slots);
  }

  /** Restores {@code iterations} and every state slot from {@code saved} (copied in). */
  public void loadState(State saved) {
    float[][] slots = saved.slots;
    if (slots.length != state.length) {
      throw new IllegalArgumentException("optimizer state: expected " + state.length
          + " slots for " + rule.name() + ", found " + slots.length);
    }
    for (int s = 0; s < slots.length; s++) {
      if (slots[s].length != size) {
        throw new IllegalArgumentException("optimizer state slot " + s + ": expected " + size
            + " floats, found " + slots[s].length);
      }
    }
    if (saved.iterations < 0) {
      throw new IllegalArgumentException("optimizer state iterations: expected a number >= 0, "
          + "found " + saved.iterations);
    }
    for (int s = 0; s < slots.length; s++) {
      state[s].put(0, slots[s], 0, size);
    }
    iterations = saved.iterations;
  }

  /**
   * A snapshot of an optimizer's mutable state: Keras's {@code iterations} and the rule's state
   * slots (each as long as the parameter vector), e.g. for a checkpoint. The arrays are owned by
   * the snapshot; callers should not modify them.
   */
  public static final class State {
    private final long iterations;
    private final float[][] slots;

    /** @param slots one array per state slot, each of the optimizer's size */
    public State(long iterations, float[][] slots) {
      this.iterations = iterations;
      this.slots = Objects.requireNonNull(slots, "slots");
    }

    /** The number of steps applied. */
    public long iterations() {
      return iterations;
    }

    /** The number of state slots. */
    public int slotCount() {
      return slots.length;
    }

    /** State slot {@code slot} (not copied). */
    public float[] slot(int slot) {
      return slots[slot];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State && ((State) o).iterations == iterations
          && Arrays.deepEquals(((State) o).slots, slots);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(iterations) * 31 + Arrays.deepHashCode(slots);
    }
  }

  /**
   * Fluent configuration of a {@link FlatOptimizer}; {@link #build(int)} validates everything once.
   */
  public static final class Builder {
    private final UpdateRule rule;
    private LearningRateSchedule schedule;
    private Clipping clipping = Clipping.NONE;
    private double clipLimit;
    private final List<int[]> ranges = new ArrayList<>();

    private Builder(UpdateRule rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** A constant learning rate (a finite number &gt;= 0). */
    public Builder learningRate(double learningRate) {
      this.schedule = Schedules.constant(learningRate);
      return this;
    }

    /** A learning-rate schedule, evaluated at {@code iterations} before each step. */
    public Builder schedule(LearningRateSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Keras {@code clipvalue} (&gt; 0); replaces any other clipping setting. */
    public Builder clipValue(double clipValue) {
      return clip(Clipping.VALUE, "clipvalue", clipValue);
    }

    /** Keras {@code clipnorm} (&gt; 0), per trainable range; replaces any other clipping setting. */
    public Builder clipNorm(double clipNorm) {
      return clip(Clipping.NORM, "clipnorm", clipNorm);
    }

    /** Keras {@code global_clipnorm} (&gt; 0); replaces any other clipping setting. */
    public Builder globalClipNorm(double globalClipNorm) {
      return clip(Clipping.GLOBAL_NORM, "global_clipnorm", globalClipNorm);
    }

    private Builder clip(Clipping mode, String key, double limit) {
      if (!(limit > 0) || Double.isInfinite(limit)) {
        throw new IllegalArgumentException(key + ": expected a finite number > 0, found " + limit);
      }
      this.clipping = mode;
      this.clipLimit = limit;
      return this;
    }

    /**
     * Adds one trainable variable {@code [from, to)}. Ranges must be added in increasing order and
     * must not overlap; with none added, the whole vector is one trainable range.
     */
    public Builder trainableRange(int from, int to) {
      return trainableRange(from, to, true);
    }

    /**
     * Adds one trainable variable; with {@code weightDecay} false it is excluded from the rule's
     * weight decay (Keras's {@code optimizer.exclude_from_weight_decay}, e.g. for biases).
     */
    public Builder trainableRange(int from, int to, boolean weightDecay) {
      ranges.add(new int[] {from, to, weightDecay ? 1 : 0});
      return this;
    }

    /** Validates the settings and allocates the state for {@code size} parameters. */
    public FlatOptimizer build(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("size: expected a number >= 0, found " + size);
      }
      if (schedule == null) {
        schedule = Schedules.constant(UpdateRules.NAMES.contains(rule.name())
            ? UpdateRules.defaultLearningRate(rule.name()) : 0.001);
      }
      return new FlatOptimizer(this, size);
    }
  }
}
