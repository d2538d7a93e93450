package io.sparkeras.api.trainers;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras's {@code class_weight}: each sample weighs its class's weight (classes not in the map
 * weigh 1). The class of a sample is its label rounded to an integer when the target holds one
 * value (class ids, or 0/1 for a binary output), else the arg-max of its target (one-hot), as
 * Keras's {@code class_weight_to_sample_weights} reads it. The local trainer turns a fit's
 * class weights into sample weights with it; the distributed worker does the same per batch.
 *
 * <pre>{@code
 * ClassWeights cw = ClassWeights.of(Map.of(0, 1.0, 1, 5.0));
 * float w = cw.weightOf(targets, row * width, width);
 * }</pre>
 */
public final class ClassWeights implements Serializable {
  private static final long serialVersionUID = 1L;
  private final TreeMap<Integer, Double> weights;

  private ClassWeights(Map<Integer, Double> weights) {
    this.weights = new TreeMap<>(weights);
  }

  /** The weights of {@code classWeight}; every weight must be a finite number. */
  public static ClassWeights of(Map<Integer, Double> classWeight) {
    for (Map.Entry<Integer, Double> e : classWeight.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException("class_weight: expected a finite weight for each "
            + "class id, found " + e.getKey() + "=" + e.getValue());
      }
    }
    return new ClassWeights(classWeight);
  }

  /** The weights by class id. */
  public Map<Integer, Double> asMap() {
    return new TreeMap<>(weights);
  }

  /** The weight of the sample whose target is {@code y[offset, offset + width)}. */
  public float weightOf(float[] y, int offset, int width) {
    int cls;
    if (width == 1) {
      cls = Math.round(y[offset]);
    } else {
      cls = 0;
      for (int k = 1; k < width; k++) {
        if (y[offset + k] > y[offset + cls]) {
          cls = k;
        }
      }
    }
    Double w = weights.get(cls);
    return w == null ? 1f : w.floatValue();
  }

  /** One weight per sample of {@code rows} targets of {@code width} values each. */
  public float[] sampleWeights(float[] y, int offset, int rows, int width) {
    float[] out = new float[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = weightOf(y, offset + r * width, width);
    }
    return out;
  }

  @Override
  public String toString() {
    return weights.toString();
  }
}
