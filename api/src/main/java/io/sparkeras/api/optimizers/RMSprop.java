package io.sparkeras.api.optimizers;

import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * RMSprop with Keras 3's defaults ({@code rho} 0.9, {@code momentum} 0, {@code epsilon} 1e-7,
 * {@code centered} false).
 *
 * <pre>{@code new RMSprop(1e-3).rho(0.95).centered(true); }</pre>
 */
public class RMSprop extends Optimizer {
  private double rho = 0.9;
  private double momentum;
  private double epsilon = 1e-7;
  private boolean centered;

  public RMSprop() {
    this(0.001);
  }

  public RMSprop(double learningRate) {
    super("rmsprop", learningRate);
  }

  public static RMSprop fromConfig(Config c) {
    RMSprop r = new RMSprop();
    r.readBaseConfig(c);
    return r.rho(c.getDouble("rho", 0.9)).momentum(c.getDouble("momentum", 0.0))
        .epsilon(c.getDouble("epsilon", 1e-7)).centered(c.getBoolean("centered", false));
  }

  public RMSprop rho(double v) {
    rho = v;
    return this;
  }

  public RMSprop momentum(double v) {
    momentum = v;
    return this;
  }

  public RMSprop epsilon(double v) {
    epsilon = v;
    return this;
  }

  public RMSprop centered(boolean v) {
    centered = v;
    return this;
  }

  @Override
  public String ruleName() {
    return "rmsprop";
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("rho", rho);
    m.put("momentum", momentum);
    m.put("epsilon", epsilon);
    m.put("centered", centered);
    return m;
  }
}
