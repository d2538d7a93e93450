package io.sparkeras.api.tuner;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The Gaussian process regressor of KerasTuner's Bayesian optimization: a Matérn kernel with
 * ν = 5/2 and length scale 1 on points of the unit cube, {@code alpha} added to the kernel's
 * diagonal (observation noise), targets normalised to mean 0 and standard deviation 1. The
 * Cholesky factorisation and inverse come from EJML.
 *
 * <pre>{@code
 * GaussianProcess gp = new GaussianProcess(1e-4);
 * gp.fit(new double[][] {{0.1}, {0.5}, {0.9}}, new double[] {1.0, 0.2, 0.8});
 * double[] meanStd = new double[2];
 * gp.predict(new double[] {0.4}, meanStd, null, null);
 * }</pre>
 */
final class GaussianProcess {
  private static final double SQRT5 = Math.sqrt(5);

  private final double alpha;
  private double[][] x;
  private double[] weights;
  private double[][] kInv;
  private double yMean;
  private double yStd;
  private double[] k;
  private double[] kInvK;

  GaussianProcess(double alpha) {
    this.alpha = alpha;
  }

  /** Matérn 5/2 of the distance between a and b. */
  static double kernel(double[] a, double[] b) {
    double r = SQRT5 * distance(a, b);
    return (1 + r + r * r / 3) * Math.exp(-r);
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /**
   * Fits the process to points {@code xs} (rows in the unit cube) and targets {@code ys}. If the
   * kernel matrix is not positive definite to working precision (points very close together),
   * the diagonal term grows tenfold until it is.
   */
  void fit(double[][] xs, double[] ys) {
    int n = xs.length;
    x = xs.clone();
    double mean = 0;
    for (double v : ys) {
      mean += v;
    }
    mean /= n;
    double var = 0;
    for (double v : ys) {
      var += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(var / n);
    yMean = mean;
    yStd = std > 0 ? std : 1;
    DMatrixRMaj y = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      y.set(i, 0, (ys[i] - yMean) / yStd);
    }
    DMatrixRMaj kernel = new DMatrixRMaj(n, n);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
    double diag = alpha;
    while (true) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          kernel.set(i, j, kernel(x[i], x[j]) + (i == j ? diag : 0));
        }
      }
      if (solver.setA(solver.modifiesA() ? kernel.copy() : kernel)) {
        break;
      }
      if (diag > 1) {
        throw new IllegalStateException("Gaussian process: kernel matrix of " + n
            + " points is not positive definite");
      }
      diag = Math.max(diag * 10, 1e-10);
    }
    DMatrixRMaj w = new DMatrixRMaj(n, 1);
    solver.solve(y, w);
    DMatrixRMaj inv = new DMatrixRMaj(n, n);
    solver.invert(inv);
    weights = w.data.clone();
    kInv = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        kInv[i][j] = inv.get(i, j);
      }
    }
    k = new double[n];
    kInvK = new double[n];
  }

  /**
   * Mean and standard deviation at {@code p} into {@code meanStd}; with non-null
   * {@code dMean}/{@code dStd}, their gradients with respect to {@code p} as well.
   */
  void predict(double[] p, double[] meanStd, double[] dMean, double[] dStd) {
    int n = x.length;
    double mean = 0;
    for (int i = 0; i < n; i++) {
      k[i] = kernel(p, x[i]);
      mean += k[i] * weights[i];
    }
    double var = 1;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += kInv[i][j] * k[j];
      }
      kInvK[i] = s;
      var -= k[i] * s;
    }
    var = Math.max(var, 0);
    double std = Math.sqrt(var);
    meanStd[0] = yStd * mean + yMean;
    meanStd[1] = yStd * std;
    if (dMean == null) {
      return;
    }
    java.util.Arrays.fill(dMean, 0);
    java.util.Arrays.fill(dStd, 0);
    for (int i = 0; i < n; i++) {
      // d k(p, x_i) / dp = -(5/3) (1 + sqrt5 r) exp(-sqrt5 r) (p - x_i)
      double r = distance(p, x[i]);
      double c = -(5.0 / 3.0) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
      for (int d = 0; d < p.length; d++) {
        double dk = c * (p[d] - x[i][d]);
        dMean[d] += weights[i] * dk;
        dStd[d] += -2 * kInvK[i] * dk;
      }
    }
    for (int d = 0; d < p.length; d++) {
      dMean[d] *= yStd;
      // d sqrt(var) = d var / (2 sqrt(var)); zero where the variance vanishes
      dStd[d] = std > 1e-12 ? yStd * dStd[d] / (2 * std) : 0;
    }
  }
}
