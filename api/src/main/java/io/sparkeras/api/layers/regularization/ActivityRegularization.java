package io.sparkeras.api.layers.regularization;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.SameShapeLayer;
import io.sparkeras.api.regularizers.L1L2;
import java.util.Map;

/**
 * Keras's {@code ActivityRegularization}: passes its input through and adds
 * {@code l1 * sum(|x|) + l2 * sum(x^2)} over the batch to the training loss.
 *
 * <pre>{@code new ActivityRegularization(1e-5, 1e-4); }</pre>
 */
public class ActivityRegularization extends SameShapeLayer {
  private final double l1;
  private final double l2;

  public ActivityRegularization(double l1, double l2) {
    this.l1 = l1;
    this.l2 = l2;
    super.activityRegularizer(new L1L2(l1, l2));
  }

  public static ActivityRegularization fromConfig(Config c) {
    ActivityRegularization a = new ActivityRegularization(c.getDouble("l1", 0.0),
        c.getDouble("l2", 0.0));
    a.name(c.getString("name", null));
    a.trainable(c.getBoolean("trainable", true));
    return a;
  }

  /** Fixed by l1 and l2: not settable on this layer. */
  @Override
  public Layer activityRegularizer(io.sparkeras.api.regularizers.Regularizer regularizer) {
    throw new UnsupportedOperationException("ActivityRegularization's penalty is set by its l1 "
        + "and l2 factors");
  }

  @Override
  public Tensor call(Tensor x, boolean training) {
    return x;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.remove("activity_regularizer");
    m.put("l1", l1);
    m.put("l2", l2);
    return m;
  }
}
