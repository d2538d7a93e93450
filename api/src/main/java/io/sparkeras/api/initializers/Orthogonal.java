package io.sparkeras.api.initializers;

import io.sparkeras.api.config.Config;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A (semi-)orthogonal matrix times {@code gain}, from the QR decomposition of a normal matrix;
 * weights of rank above 2 are treated as {@code [prod(shape[:-1]), shape[-1]]}. The default
 * recurrent initializer of LSTM and GRU.
 */
public final class Orthogonal extends Initializer {
  private final double gain;

  public Orthogonal(double gain, Long seed) {
    super(seed);
    this.gain = gain;
  }

  public Orthogonal() {
    this(1.0, null);
  }

  public static Orthogonal fromConfig(Config c) {
    return new Orthogonal(c.getDouble("gain", 1.0), VarianceScaling.seedOf(c));
  }

  @Override
  public float[] generate(int[] shape) {
    int n = size(shape);
    if (shape.length < 2) {
      throw new IllegalArgumentException("Orthogonal: expected a weight of rank >= 2, found shape "
          + java.util.Arrays.toString(shape));
    }
    int cols = shape[shape.length - 1];
    int rows = n / cols;
    int big = Math.max(rows, cols);
    int small = Math.min(rows, cols);
    SplittableRandom r = new SplittableRandom(seedForCall());
    // a: big x small, column-major for Gram-Schmidt
    double[][] q = new double[small][big];
    for (int j = 0; j < small; j++) {
      for (int i = 0; i < big; i++) {
        q[j][i] = VarianceScaling.gaussian(r);
      }
    }
    // modified Gram-Schmidt gives Q with a positive-diagonal R, Keras's sign convention
    for (int j = 0; j < small; j++) {
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < big; i++) {
          dot += q[j][i] * q[k][i];
        }
        for (int i = 0; i < big; i++) {
          q[j][i] -= dot * q[k][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < big; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < big; i++) {
        q[j][i] /= norm;
      }
    }
    float[] out = new float[n];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double v = rows >= cols ? q[j][i] : q[i][j];
        out[i * cols + j] = (float) (gain * v);
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("gain", gain);
    m.put("seed", seed);
    return m;
  }
}
