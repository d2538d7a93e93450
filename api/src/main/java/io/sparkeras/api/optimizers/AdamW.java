package io.sparkeras.api.optimizers;

import io.sparkeras.api.config.Config;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), Keras 3's defaults:
 * {@code weight_decay} 0.004.
 *
 * <pre>{@code new AdamW(1e-3).weightDecay(0.01); }</pre>
 */
public class AdamW extends Adam {
  public AdamW() {
    this(0.001);
  }

  public AdamW(double learningRate) {
    super("adamw", learningRate);
    weightDecay(0.004);
  }

  public static AdamW fromConfig(Config c) {
    AdamW a = read(new AdamW(), c);
    if (a.weightDecayValue() == null) {
      throw new IllegalArgumentException("adamw: config key 'weight_decay' must be a number, "
          + "found null");
    }
    return a;
  }

  @Override
  public String ruleName() {
    return "adamw";
  }
}
