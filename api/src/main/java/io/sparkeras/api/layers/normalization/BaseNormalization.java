package io.sparkeras.api.layers.normalization;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.constraints.Constraint;
import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.initializers.Zeros;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.regularizers.Regularizer;
import java.util.Map;

/**
 * What {@link BatchNormalization}, {@link LayerNormalization} and {@link GroupNormalization}
 * share: the learned scale {@code gamma} ({@code scale}) and offset {@code beta}
 * ({@code center}), each with its initializer, regularizer and constraint, and Keras's config keys
 * for them. Masks pass through.
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseNormalization<T extends BaseNormalization<T>> extends Layer {
  private double epsilon = 1e-3;
  private boolean center = true;
  private boolean scale = true;
  private Initializer betaInitializer = new Zeros();
  private Initializer gammaInitializer = new Ones();
  private Regularizer betaRegularizer;
  private Regularizer gammaRegularizer;
  private Constraint betaConstraint;
  private Constraint gammaConstraint;
  private Variable gamma;
  private Variable beta;

  protected BaseNormalization() {
    setSupportsMasking(true);
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /** Reads the base keys and the center/scale/beta/gamma keys. */
  protected T readScaleOffset(Config c) {
    LayerConfigs.base(this, c);
    epsilon(c.getDouble("epsilon", 1e-3));
    center = c.getBoolean("center", true);
    scale = c.getBoolean("scale", true);
    betaInitializer = LayerConfigs.initializer(c, "beta_initializer", betaInitializer);
    gammaInitializer = LayerConfigs.initializer(c, "gamma_initializer", gammaInitializer);
    betaRegularizer = LayerConfigs.regularizer(c, "beta_regularizer");
    gammaRegularizer = LayerConfigs.regularizer(c, "gamma_regularizer");
    betaConstraint = LayerConfigs.constraint(c, "beta_constraint");
    gammaConstraint = LayerConfigs.constraint(c, "gamma_constraint");
    return self();
  }

  /** Added to the variance before the square root; default 1e-3. */
  public T epsilon(double epsilon) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " epsilon: expected a "
          + "positive value, found " + epsilon);
    }
    this.epsilon = epsilon;
    return self();
  }

  public double epsilon() {
    return epsilon;
  }

  /**
   * The normalisation as Keras computes it, {@code x * inv + shift}: returns
   * {@code {inv, shift}} with {@code inv = gamma / sqrt(variance + epsilon)} and
   * {@code shift = beta - mean * inv} ({@code shift} null when {@code mean} is null). Gamma and
   * beta are reshaped to {@code paramShape} first (null: used as they are).
   */
  protected Tensor[] scaleAndShift(Tensor mean, Tensor variance, int[] paramShape) {
    Tensor inv = ops().power(ops().add(variance, epsilon), -0.5);
    if (gamma != null) {
      inv = ops().multiply(inv, paramShape == null ? gamma.value()
          : ops().reshape(gamma.value(), paramShape));
    }
    if (mean == null) {
      return new Tensor[] {inv, null};
    }
    Tensor shift = ops().negative(ops().multiply(mean, inv));
    if (beta != null) {
      shift = ops().add(shift, paramShape == null ? beta.value()
          : ops().reshape(beta.value(), paramShape));
    }
    return new Tensor[] {inv, shift};
  }

  /** Whether to add the learned offset {@code beta}; default true. */
  public T center(boolean center) {
    this.center = center;
    return self();
  }

  /** Whether to multiply by the learned scale {@code gamma}; default true. */
  public T scale(boolean scale) {
    this.scale = scale;
    return self();
  }

  public T betaInitializer(Initializer init) {
    this.betaInitializer = init;
    return self();
  }

  public T gammaInitializer(Initializer init) {
    this.gammaInitializer = init;
    return self();
  }

  public T betaRegularizer(Regularizer r) {
    this.betaRegularizer = r;
    return self();
  }

  public T gammaRegularizer(Regularizer r) {
    this.gammaRegularizer = r;
    return self();
  }

  public T betaConstraint(Constraint c) {
    this.betaConstraint = c;
    return self();
  }

  public T gammaConstraint(Constraint c) {
    this.gammaConstraint = c;
    return self();
  }

  protected boolean isCenter() {
    return center;
  }

  protected boolean isScale() {
    return scale;
  }

  public Variable gamma() {
    return gamma;
  }

  public Variable beta() {
    return beta;
  }

  /** Creates {@code gamma} (if {@code withGamma}) then {@code beta} (if {@code withBeta}). */
  protected void addScaleOffset(int[] shape, boolean withGamma, boolean withBeta) {
    if (withGamma) {
      gamma = addWeight("gamma", shape, gammaInitializer, true, gammaRegularizer, gammaConstraint);
    }
    if (withBeta) {
      beta = addWeight("beta", shape, betaInitializer, true, betaRegularizer, betaConstraint);
    }
  }

  /** Puts center, scale (unless {@code centerScale} is false) and the beta/gamma keys. */
  protected void putScaleOffset(Map<String, Object> m, boolean centerScale, boolean initializers,
      boolean rest) {
    if (centerScale) {
      m.put("center", center);
      m.put("scale", scale);
    }
    if (initializers) {
      m.put("beta_initializer", Initializer.REGISTRY.serialize(betaInitializer));
      m.put("gamma_initializer", Initializer.REGISTRY.serialize(gammaInitializer));
    }
    if (rest) {
      m.put("beta_regularizer", Regularizer.serialize(betaRegularizer));
      m.put("gamma_regularizer", Regularizer.serialize(gammaRegularizer));
      m.put("beta_constraint", Constraint.serialize(betaConstraint));
      m.put("gamma_constraint", Constraint.serialize(gammaConstraint));
    }
  }
}
