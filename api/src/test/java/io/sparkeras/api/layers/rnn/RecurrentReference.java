package io.sparkeras.api.layers.rnn;

/**
 * Plain-Java reference of Keras 3's LSTM and GRU equations (lstm.py / gru.py, implementation 2),
 * written independently of the layers, in double precision. Arrays are row-major:
 * {@code x[batch][steps][features]}, kernels {@code [in][gates * units]}.
 */
final class RecurrentReference {
  private RecurrentReference() {}

  static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** Returns {@code out[batch][step][units]} in processing order. */
  static double[][][] lstm(double[][][] x, double[][] k, double[][] rk, double[] bias, int units,
      boolean goBackwards) {
    int batch = x.length;
    int steps = x[0].length;
    double[][][] out = new double[batch][steps][units];
    for (int b = 0; b < batch; b++) {
      double[] h = new double[units];
      double[] c = new double[units];
      for (int s = 0; s < steps; s++) {
        double[] xt = x[b][goBackwards ? steps - 1 - s : s];
        double[] z = new double[4 * units];
        for (int j = 0; j < 4 * units; j++) {
          double v = bias == null ? 0 : bias[j];
          for (int f = 0; f < xt.length; f++) {
            v += xt[f] * k[f][j];
          }
          for (int q = 0; q < units; q++) {
            v += h[q] * rk[q][j];
          }
          z[j] = v;
        }
        double[] newH = new double[units];
        for (int q = 0; q < units; q++) {
          double i = sigmoid(z[q]);
          double f = sigmoid(z[units + q]);
          double g = Math.tanh(z[2 * units + q]);
          double o = sigmoid(z[3 * units + q]);
          c[q] = f * c[q] + i * g;
          newH[q] = o * Math.tanh(c[q]);
        }
        h = newH;
        out[b][s] = h.clone();
      }
    }
    return out;
  }

  /**
   * GRU; {@code bias} is {@code [2][3 * units]} when {@code resetAfter} (row 0 input, row 1
   * recurrent), else {@code [1][3 * units]}; null for no bias.
   */
  static double[][][] gru(double[][][] x, double[][] k, double[][] rk, double[][] bias, int units,
      boolean resetAfter, boolean goBackwards) {
    int batch = x.length;
    int steps = x[0].length;
    double[][][] out = new double[batch][steps][units];
    for (int b = 0; b < batch; b++) {
      double[] h = new double[units];
      for (int s = 0; s < steps; s++) {
        double[] xt = x[b][goBackwards ? steps - 1 - s : s];
        double[] mx = new double[3 * units];
        double[] mh = new double[3 * units];
        for (int j = 0; j < 3 * units; j++) {
          double v = bias == null ? 0 : bias[0][j];
          for (int f = 0; f < xt.length; f++) {
            v += xt[f] * k[f][j];
          }
          mx[j] = v;
          double w = bias != null && resetAfter ? bias[1][j] : 0;
          for (int q = 0; q < units; q++) {
            w += h[q] * rk[q][j];
          }
          mh[j] = w;
        }
        double[] z = new double[units];
        double[] r = new double[units];
        for (int q = 0; q < units; q++) {
          z[q] = sigmoid(mx[q] + mh[q]);
          r[q] = sigmoid(mx[units + q] + mh[units + q]);
        }
        double[] newH = new double[units];
        for (int q = 0; q < units; q++) {
          double rh;
          if (resetAfter) {
            rh = r[q] * mh[2 * units + q];
          } else {
            rh = 0;
            for (int p = 0; p < units; p++) {
              rh += r[p] * h[p] * rk[p][2 * units + q];
            }
          }
          double hh = Math.tanh(mx[2 * units + q] + rh);
          newH[q] = z[q] * h[q] + (1 - z[q]) * hh;
        }
        h = newH;
        out[b][s] = h.clone();
      }
    }
    return out;
  }

  // ---- array helpers -----------------------------------------------------------------------

  static double[][] matrix(float[] flat, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = flat[i * cols + j];
      }
    }
    return m;
  }

  static double[][][] cube(float[] flat, int a, int b, int c) {
    double[][][] m = new double[a][b][c];
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        for (int k = 0; k < c; k++) {
          m[i][j][k] = flat[(i * b + j) * c + k];
        }
      }
    }
    return m;
  }

  static double[] vector(float[] flat) {
    double[] v = new double[flat.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = flat[i];
    }
    return v;
  }

  /** Deterministic values in [-scale, scale), different per position (so gate order matters). */
  static float[] values(int n, long seed, double scale) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }

  /** The last step of every batch row, or all steps, flattened like the layer output. */
  static float[] flatten(double[][][] out, boolean sequences) {
    int batch = out.length;
    int steps = out[0].length;
    int units = out[0][0].length;
    float[] f = new float[batch * (sequences ? steps : 1) * units];
    int n = 0;
    for (int b = 0; b < batch; b++) {
      for (int s = sequences ? 0 : steps - 1; s < steps; s++) {
        for (int q = 0; q < units; q++) {
          f[n++] = (float) out[b][s][q];
        }
      }
    }
    return f;
  }
}
