package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bayesian optimization with a Gaussian process (KerasTuner's
 * {@code BayesianOptimizationOracle}): the first {@code numInitialPoints} trials (default three
 * per dimension) are random; then a {@link GaussianProcess} is fitted to the completed trials'
 * scores over the normalised space (each parameter mapped to [0, 1] by
 * {@link HyperParameter#valueToProb}) and the next trial is the point that minimises the
 * {@link Acquisition} function, searched from 50 random starts.
 *
 * <pre>{@code
 * Oracle o = new BayesianOptimizationOracle(Objective.max("val_accuracy"))
 *     .numInitialPoints(4).beta(2.6).alpha(1e-4).maxTrials(20).seed(1);
 * }</pre>
 *
 * <p>As in KerasTuner, running trials are "hallucinated" at a pessimistic guess (mean plus one
 * standard deviation) so that parallel slots do not all get the same point. Differences:
 * KerasTuner minimises the acquisition with SciPy's L-BFGS-B from each start; here each start
 * runs projected gradient descent with the process's analytic gradient and a backtracking line
 * search inside the unit cube. A point whose values were tried already is replaced by random
 * values. Expected improvement is offered besides KerasTuner's upper confidence bound.
 */
public final class BayesianOptimizationOracle extends Oracle {
  private static final int RESTARTS = 50;
  private static final int ITERATIONS = 100;

  private int numInitialPoints;
  private double alpha = 1e-4;
  private double beta = 2.6;
  private Acquisition acquisition = Acquisition.UPPER_CONFIDENCE_BOUND;

  public BayesianOptimizationOracle(Objective objective) {
    super(objective);
  }

  /** Random trials before the process is used (0: three per dimension, at least 3). */
  public BayesianOptimizationOracle numInitialPoints(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("num_initial_points: expected >= 0, found " + n);
    }
    this.numInitialPoints = n;
    return this;
  }

  /** Added to the kernel's diagonal: the expected noise of a score (default 1e-4). */
  public BayesianOptimizationOracle alpha(double a) {
    if (!(a > 0)) {
      throw new IllegalArgumentException("alpha: expected > 0, found " + a);
    }
    this.alpha = a;
    return this;
  }

  /** Exploration weight of the upper confidence bound (default 2.6). */
  public BayesianOptimizationOracle beta(double b) {
    if (!(b >= 0)) {
      throw new IllegalArgumentException("beta: expected >= 0, found " + b);
    }
    this.beta = b;
    return this;
  }

  /** The acquisition function (default KerasTuner's upper confidence bound). */
  public BayesianOptimizationOracle acquisition(Acquisition a) {
    this.acquisition = a;
    return this;
  }

  @Override
  public String kind() {
    return "bayesian";
  }

  private List<HyperParameter> dimensions() {
    List<HyperParameter> out = new ArrayList<>();
    for (HyperParameter hp : space.space()) {
      if (!(hp instanceof FixedParameter)) {
        out.add(hp);
      }
    }
    return out;
  }

  @Override
  protected Population populateSpace(String trialId) {
    List<Trial> completed = new ArrayList<>();
    for (Trial t : trials.values()) {
      if (t.status == TrialStatus.COMPLETED && t.score != null && Double.isFinite(t.score)) {
        completed.add(t);
      }
    }
    List<HyperParameter> dims = dimensions();
    int initial = numInitialPoints > 0 ? numInitialPoints : Math.max(3 * space.space().size(), 3);
    if (completed.size() < initial || dims.isEmpty()) {
      return random();
    }
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (Trial t : completed) {
      xs.add(vector(t, dims));
      double y = objective.asMinimised(t.score);
      ys.add(y);
      best = Math.min(best, y);
    }
    GaussianProcess gp = new GaussianProcess(alpha);
    gp.fit(xs.toArray(new double[0][]), unbox(ys));
    if (!ongoing.isEmpty()) {
      double[] ms = new double[2];
      for (String id : ongoing.values()) {
        double[] v = vector(trials.get(id), dims);
        gp.predict(v, ms, null, null);
        xs.add(v);
        ys.add(ms[0] + ms[1]);
      }
      gp.fit(xs.toArray(new double[0][]), unbox(ys));
    }
    double[] x = minimizeAcquisition(gp, dims.size(), best);
    Map<String, Object> values = vectorToValues(x);
    if (tried(values)) {
      return random();
    }
    return Population.run(values);
  }

  private Population random() {
    Map<String, Object> v = randomValues();
    return v == null ? Population.stop() : Population.run(v);
  }

  private static double[] unbox(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  /** A trial's point in the unit cube; parameters inactive in it sit at their default. */
  private static double[] vector(Trial t, List<HyperParameter> dims) {
    double[] v = new double[dims.size()];
    HyperParameters hps = t.hyperparameters();
    for (int i = 0; i < v.length; i++) {
      HyperParameter hp = dims.get(i);
      Object value = hps.has(hp.name()) ? hps.get(hp.name()) : hp.defaultValue();
      v[i] = hp.valueToProb(value);
    }
    return v;
  }

  private Map<String, Object> vectorToValues(double[] x) {
    HyperParameters hps = new HyperParameters();
    int i = 0;
    for (HyperParameter hp : space.space()) {
      hps.merge(List.of(hp));
      Object value = hp instanceof FixedParameter ? hp.defaultValue() : hp.probToValue(x[i++]);
      if (hps.isActive(hp)) {
        hps.put(hp.name(), value);
      }
    }
    return new LinkedHashMap<>(hps.values());
  }

  private double[] minimizeAcquisition(GaussianProcess gp, int d, double best) {
    SplittableRandom rng = new SplittableRandom(seedState++);
    double[] bestX = null;
    double bestF = Double.POSITIVE_INFINITY;
    Evaluator f = new Evaluator(gp, d, best);
    for (int s = 0; s < RESTARTS; s++) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++) {
        x[i] = rng.nextDouble();
      }
      double v = descend(f, x);
      if (v < bestF) {
        bestF = v;
        bestX = x;
      }
    }
    return bestX;
  }

  /** The acquisition at a point with its gradient, reusing buffers. */
  private final class Evaluator {
    final GaussianProcess gp;
    final double best;
    final double[] ms = new double[2];
    final double[] dMu;
    final double[] dSigma;

    Evaluator(GaussianProcess gp, int d, double best) {
      this.gp = gp;
      this.best = best;
      dMu = new double[d];
      dSigma = new double[d];
    }

    double at(double[] x, double[] grad) {
      gp.predict(x, ms, dMu, dSigma);
      return acquisition.value(ms[0], ms[1], dMu, dSigma, best, beta, grad);
    }
  }

  /** Projected gradient descent with backtracking inside [0, 1]^d; leaves the minimum in x. */
  private static double descend(Evaluator f, double[] x) {
    int d = x.length;
    double[] g = new double[d];
    double[] gNext = new double[d];
    double[] next = new double[d];
    double fx = f.at(x, g);
    double step = 0.1;
    for (int it = 0; it < ITERATIONS; it++) {
      boolean moved = false;
      for (double t = step; t > 1e-9; t /= 2) {
        double decrease = 0;
        double change = 0;
        for (int i = 0; i < d; i++) {
          next[i] = Math.min(1, Math.max(0, x[i] - t * g[i]));
          decrease += g[i] * (x[i] - next[i]);
          change = Math.max(change, Math.abs(x[i] - next[i]));
        }
        if (change < 1e-9) {
          return fx;
        }
        double fn = f.at(next, gNext);
        if (fn <= fx - 1e-4 * decrease) {
          System.arraycopy(next, 0, x, 0, d);
          System.arraycopy(gNext, 0, g, 0, d);
          fx = fn;
          step = Math.min(1, t * 2);
          moved = true;
          break;
        }
      }
      if (!moved) {
        return fx;
      }
    }
    return fx;
  }

  @Override
  protected void putState(Map<String, Object> state) {
    state.put("num_initial_points", numInitialPoints);
    state.put("alpha", alpha);
    state.put("beta", beta);
    state.put("acquisition", acquisition.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  protected void readState(Map<String, Object> s, String where) {
    numInitialPoints = JsonValues.integer(s.get("num_initial_points"), where
        + ".num_initial_points");
    alpha = JsonValues.number(s.get("alpha"), where + ".alpha");
    beta = JsonValues.number(s.get("beta"), where + ".beta");
    acquisition = Acquisition.valueOf(JsonValues.string(s.get("acquisition"),
        where + ".acquisition").toUpperCase(java.util.Locale.ROOT));
  }
}
