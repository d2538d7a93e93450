package io.sparkeras.driver.tuner;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.tuner.Acquisition;
import io.sparkeras.api.tuner.BayesianOptimizationOracle;
import io.sparkeras.api.tuner.GridSearchOracle;
import io.sparkeras.api.tuner.HyperModel;
import io.sparkeras.api.tuner.HyperParameters;
import io.sparkeras.api.tuner.HyperbandOracle;
import io.sparkeras.api.tuner.Objective;
import io.sparkeras.api.tuner.Oracle;
import io.sparkeras.api.tuner.RandomSearchOracle;
import io.sparkeras.api.tuner.SpaceExplorer;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.driver.TrainerSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Hyperparameter search on Spark, the counterpart of KerasTuner's tuners: the oracle runs on the
 * driver and hands out trials; each trial trains on an executor, as a Spark task over one shard
 * of the training table with the local backend (or as a distributed fit with N workers); the
 * state lives on any Hadoop path, and a search started again with the same directory resumes
 * where it stopped, never running a finished trial again.
 *
 * <pre>{@code
 * HyperModel hm = hp -> {
 *   Sequential m = new Sequential(Input.of(784));
 *   for (int i = 0; i < hp.intRange("layers", 1, 3); i++) {
 *     m.add(new Dense(hp.intRange("units_" + i, 32, 512, 32))
 *         .activation(hp.choice("act", "relu", "gelu")));
 *   }
 *   m.add(new Dense(10).activation("softmax"));
 *   m.compile(new Adam(hp.floatRange("lr", 1e-4, 1e-2, Sampling.LOG)),
 *       "sparse_categorical_crossentropy", "accuracy");
 *   return m;
 * };
 * Tuner tuner = Tuner.hyperband(hm, Objective.max("val_accuracy")).maxEpochs(20)
 *     .directory("hdfs://nn/tune/fmnist");
 * tuner.search(spark, train, validation, "features", "label", SearchOptions.parallelTrials(8));
 * Model best = tuner.bestModels(1).get(0);
 * System.out.print(tuner.resultsSummary(10));
 * tuner.plot("file:/tmp/fmnist-tuning.png");
 * }</pre>
 *
 * <p>Settings of the oracle ({@code maxTrials}, {@code seed}, Hyperband's {@code maxEpochs} and
 * {@code factor}, Bayesian optimization's {@code numInitialPoints}, {@code alpha}, {@code beta})
 * are set here or on {@link #oracle()}; those of training ({@code epochs}, batch size,
 * callbacks, parallel trials) in {@link SearchOptions}.
 */
public final class Tuner {
  private final HyperModel hypermodel;
  private Oracle oracle;
  private int executionsPerTrial = 1;
  private String directory;
  private boolean overwrite;
  private TunerDirectory dir;

  private Tuner(HyperModel hypermodel, Oracle oracle) {
    if (hypermodel == null) {
      throw new IllegalArgumentException("hypermodel: expected a build function hp -> model");
    }
    this.hypermodel = hypermodel;
    this.oracle = oracle;
  }

  /** A tuner with any oracle. */
  public static Tuner of(HyperModel hypermodel, Oracle oracle) {
    return new Tuner(hypermodel, oracle);
  }

  /** Random search. */
  public static Tuner randomSearch(HyperModel hm, Objective objective) {
    return new Tuner(hm, new RandomSearchOracle(objective));
  }

  /** Grid search over every combination (until {@code maxTrials} if set). */
  public static Tuner gridSearch(HyperModel hm, Objective objective) {
    return new Tuner(hm, new GridSearchOracle(objective));
  }

  /** Hyperband. */
  public static Tuner hyperband(HyperModel hm, Objective objective) {
    return new Tuner(hm, new HyperbandOracle(objective));
  }

  /** Bayesian optimization with a Gaussian process. */
  public static Tuner bayesianOptimization(HyperModel hm, Objective objective) {
    return new Tuner(hm, new BayesianOptimizationOracle(objective));
  }

  // ---- settings ------------------------------------------------------------------------------

  public Tuner maxTrials(int n) {
    oracle.maxTrials(n);
    return this;
  }

  public Tuner seed(long seed) {
    oracle.seed(seed);
    return this;
  }

  /** Training runs per trial, their best-epoch metrics averaged (KerasTuner's default 1). */
  public Tuner executionsPerTrial(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("executions_per_trial: expected >= 1, found " + n);
    }
    this.executionsPerTrial = n;
    return this;
  }

  /** Retries of a failed trial (default 0). */
  public Tuner maxRetriesPerTrial(int n) {
    oracle.maxRetriesPerTrial(n);
    return this;
  }

  /** Hyperband's most epochs per model. */
  public Tuner maxEpochs(int n) {
    hyperbandOracle("maxEpochs").maxEpochs(n);
    return this;
  }

  /** Hyperband's reduction factor. */
  public Tuner factor(int f) {
    hyperbandOracle("factor").factor(f);
    return this;
  }

  /** Bayesian optimization's random trials before the Gaussian process. */
  public Tuner numInitialPoints(int n) {
    bayesianOracle("numInitialPoints").numInitialPoints(n);
    return this;
  }

  /** Bayesian optimization's acquisition function. */
  public Tuner acquisition(Acquisition a) {
    bayesianOracle("acquisition").acquisition(a);
    return this;
  }

  private HyperbandOracle hyperbandOracle(String setting) {
    if (!(oracle instanceof HyperbandOracle)) {
      throw new IllegalArgumentException(setting + " is a Hyperband setting; this tuner's oracle "
          + "is " + oracle.kind());
    }
    return (HyperbandOracle) oracle;
  }

  private BayesianOptimizationOracle bayesianOracle(String setting) {
    if (!(oracle instanceof BayesianOptimizationOracle)) {
      throw new IllegalArgumentException(setting + " is a Bayesian optimization setting; this "
          + "tuner's oracle is " + oracle.kind());
    }
    return (BayesianOptimizationOracle) oracle;
  }

  /** Where the state goes (any Hadoop path); a search there before is resumed. */
  public Tuner directory(String path) {
    this.directory = path;
    this.dir = null;
    return this;
  }

  /** Start afresh even if the directory holds a search (default: resume it). */
  public Tuner overwrite(boolean o) {
    this.overwrite = o;
    return this;
  }

  public Oracle oracle() {
    return oracle;
  }

  HyperModel hypermodel() {
    return hypermodel;
  }

  int executionsPerTrial() {
    return executionsPerTrial;
  }

  TunerDirectory directory() {
    if (dir == null) {
      if (directory == null) {
        throw new IllegalStateException("directory: set one (any Hadoop path) before searching; "
            + "it holds the trials' state and checkpoints");
      }
      dir = new TunerDirectory(directory, new org.apache.hadoop.conf.Configuration());
    }
    return dir;
  }

  // ---- search --------------------------------------------------------------------------------

  /**
   * Runs the search: trials until the oracle stops, {@code options.parallelTrials()} at a time.
   * {@code validation} may be null when the objective is a training metric.
   */
  public void search(SparkSession spark, Dataset<Row> train, Dataset<Row> validation,
      String featuresCol, String labelCol, SearchOptions options) {
    directory();
    dir = new TunerDirectory(directory, spark.sparkContext().hadoopConfiguration());
    TunerDirectory d = dir;
    if (overwrite) {
      d.clear();
    }
    if (d.exists()) {
      Oracle saved = d.loadOracle();
      if (!saved.kind().equals(oracle.kind())) {
        throw new IllegalArgumentException("directory " + d.path() + " holds a " + saved.kind()
            + " search, this tuner is " + oracle.kind() + "; use another directory or "
            + "overwrite(true)");
      }
      saved.requeueInterrupted();
      oracle = saved;
    }
    oracle.listener(d::save);
    SpaceExplorer.populate(hp -> hypermodel.build(hp), oracle);
    d.save(oracle, null);
    HyperParameters defaults = oracle.space();
    Model probe = hypermodel.build(defaults);
    int slots = options.parallelTrials() > 0 ? options.parallelTrials()
        : spark.sparkContext().defaultParallelism();
    int shards = options.shards() > 0 ? options.shards() : slots;
    TrainerSettings settings = options.trialSettings() != null
        ? options.trialSettings().copy()
        : TrainerSettings.fromConf(spark.sparkContext().getConf());
    try (TrialData data = TrialData.prepare(probe, settings, train, validation, featuresCol,
        labelCol, shards)) {
      new TrialSlots(this, options, settings, data, train, validation, featuresCol, labelCol)
          .run(slots, shards);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the search failed: " + e, e);
    }
  }

  // ---- results -------------------------------------------------------------------------------

  /** Reads a search saved in the directory (to look at its results without searching). */
  public Tuner reload() {
    oracle = directory().loadOracle();
    return this;
  }

  /** The {@code n} best completed trials, best first. */
  public List<Trial> bestTrials(int n) {
    return oracle.bestTrials(n);
  }

  /** The hyperparameters of the {@code n} best trials. */
  public List<HyperParameters> bestHyperparameters(int n) {
    List<HyperParameters> out = new ArrayList<>();
    for (Trial t : bestTrials(n)) {
      out.add(t.hyperparameters());
    }
    return out;
  }

  /** The {@code n} best trials' models, each at its best epoch, loaded from their checkpoints. */
  public List<Model> bestModels(int n) {
    List<Model> out = new ArrayList<>();
    for (Trial t : bestTrials(n)) {
      out.add(TrialCheckpoints.load(directory().checkpoint(t.id())));
    }
    return out;
  }

  /** KerasTuner's {@code results_summary}: the {@code n} best trials, their values and scores. */
  public String resultsSummary(int n) {
    return ResultsSummary.of(oracle, directory == null ? "" : directory, n);
  }

  /**
   * Writes a PNG of the objective of each finished trial against the time it finished, with the
   * best so far as a line, to any Hadoop path.
   */
  public void plot(String path) throws IOException {
    TunerPlot.write(oracle, path);
  }
}
