package io.sparkeras.api.tuner;

/**
 * How Bayesian optimization scores a candidate point from the Gaussian process's mean μ and
 * standard deviation σ there (objective framed as a loss to minimise). KerasTuner's is
 * {@link #UPPER_CONFIDENCE_BOUND}: minimise {@code μ - β σ}.
 * {@link #EXPECTED_IMPROVEMENT} maximises {@code E[max(f* - y, 0)]} below the best loss
 * {@code f*} seen.
 *
 * <pre>{@code
 * new BayesianOptimizationOracle(Objective.max("val_accuracy"))
 *     .acquisition(Acquisition.EXPECTED_IMPROVEMENT);
 * }</pre>
 */
public enum Acquisition {
  UPPER_CONFIDENCE_BOUND, EXPECTED_IMPROVEMENT;

  /**
   * The value to minimise and its gradient given μ, σ and their gradients; {@code best} is the
   * lowest loss seen (expected improvement), {@code beta} the exploration weight (UCB).
   */
  double value(double mu, double sigma, double[] dMu, double[] dSigma, double best, double beta,
      double[] grad) {
    if (this == UPPER_CONFIDENCE_BOUND) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] = dMu[i] - beta * dSigma[i];
      }
      return mu - beta * sigma;
    }
    double improvement = best - mu;
    if (sigma < 1e-12) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] = improvement > 0 ? dMu[i] : 0;
      }
      return -Math.max(improvement, 0);
    }
    double z = improvement / sigma;
    double cdf = normalCdf(z);
    double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    for (int i = 0; i < grad.length; i++) {
      grad[i] = cdf * dMu[i] - pdf * dSigma[i];
    }
    return -(improvement * cdf + sigma * pdf);
  }

  /** The standard normal CDF through erfc (Numerical Recipes' erfcc, relative error < 1.2e-7). */
  static double normalCdf(double z) {
    double x = -z / Math.sqrt(2);
    double ax = Math.abs(x);
    double t = 1 / (1 + 0.5 * ax);
    double erfc = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196
        + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
        + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return 0.5 * (x >= 0 ? erfc : 2 - erfc);
  }
}
