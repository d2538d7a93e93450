package io.sparkeras.driver.tuner;

import io.sparkeras.api.callbacks.Callback;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.tuner.BestEpoch;
import io.sparkeras.api.tuner.Execution;
import io.sparkeras.api.tuner.HyperModel;
import io.sparkeras.api.tuner.HyperParameters;
import io.sparkeras.api.tuner.Oracle;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.api.tuner.TrialStatus;
import io.sparkeras.driver.SparkTrainer;
import io.sparkeras.driver.TrainerSettings;
import io.sparkeras.worker.WorkerModels;
import io.sparkeras.worker.tuner.TrialOutcome;
import io.sparkeras.worker.tuner.TrialSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.runtime.AbstractFunction1;

/**
 * The driver's side of a search: one thread per parallel slot asks the oracle for a trial,
 * builds its models from the hyperparameters (discovering new parameters), runs it as a Spark
 * job over one cached shard (or as a distributed fit) and reports the result; an IDLE answer
 * waits for another trial to end. A trial whose job fails is handed back to the oracle, which
 * retries it or marks it failed; too many failures in a row cancel the other slots' jobs and
 * end the search with the error.
 */
final class TrialSlots {
  private final Tuner tuner;
  private final HyperModel hypermodel;
  private final Oracle oracle;
  private final TunerDirectory directory;
  private final SearchOptions options;
  private final TrainerSettings settings;
  private final TrialData data;
  private final Broadcast<TrialData.Validation> validation;
  private final SparkContext sc;
  private final String jobGroup;
  private final Dataset<Row> train;
  private final Dataset<Row> validationFrame;
  private final String featuresCol;
  private final String labelCol;
  private final long startMs = System.currentTimeMillis();

  TrialSlots(Tuner tuner, SearchOptions options, TrainerSettings settings, TrialData data,
      Dataset<Row> train, Dataset<Row> validationFrame, String featuresCol, String labelCol) {
    this.tuner = tuner;
    this.hypermodel = tuner.hypermodel();
    this.oracle = tuner.oracle();
    this.directory = tuner.directory();
    this.options = options;
    this.settings = settings;
    this.data = data;
    this.sc = train.sparkSession().sparkContext();
    this.validation = data.validation == null ? null
        : sc.broadcast(data.validation, scala.reflect.ClassTag$.MODULE$.apply(
            TrialData.Validation.class));
    this.jobGroup = "sparkeras-tune-" + Long.toHexString(System.nanoTime());
    this.train = train;
    this.validationFrame = validationFrame;
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
  }

  /** Runs slots until the oracle stops; rethrows the error that ended the search, if any. */
  void run(int slots, int shards) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(slots, r -> {
      Thread t = new Thread(r, "sparkeras-tuner-slot");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      int slot = i;
      futures.add(pool.submit(() -> {
        slot(slot, slot % shards);
        return null;
      }));
    }
    try {
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          sc.cancelJobGroup(jobGroup);
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
      }
    } finally {
      pool.shutdownNow();
      if (validation != null) {
        validation.destroy();
      }
    }
  }

  private void slot(int slot, int shard) throws InterruptedException {
    sc.setJobGroup(jobGroup, "Sparkeras tuner slot " + slot, true);
    String tunerId = "slot-" + slot;
    while (true) {
      Trial t = oracle.createTrial(tunerId);
      if (t.status() == TrialStatus.STOPPED) {
        return;
      }
      if (t.status() == TrialStatus.IDLE) {
        oracle.awaitChange(1000);
        continue;
      }
      runTrial(t, shard);
    }
  }

  private void runTrial(Trial t, int shard) {
    List<byte[]> models = new ArrayList<>();
    List<Model> built = new ArrayList<>();
    try {
      for (int e = 0; e < tuner.executionsPerTrial(); e++) {
        HyperParameters hp = t.hyperparameters().copy();
        Model m = hypermodel.build(hp);
        oracle.updateSpace(hp);
        built.add(m);
        models.add(WorkerModels.toBytes(m));
      }
    } catch (RuntimeException e) {
      report(oracle.failTrial(t.id(), "building the model failed: " + e), null);
      return;
    }
    try {
      List<Execution> executions;
      double seconds;
      long start = System.nanoTime();
      if (options.workersPerTrial() > 0) {
        executions = distributed(t, built);
      } else {
        TrialOutcome out = onShard(t, models, shard);
        executions = out.executions();
      }
      seconds = (System.nanoTime() - start) / 1e9;
      report(oracle.endTrial(t.id(), executions), seconds);
    } catch (Exception e) {
      if (e instanceof IllegalStateException && oracle.trial(t.id()).status()
          != TrialStatus.RUNNING) {
        throw (IllegalStateException) e;
      }
      report(oracle.failTrial(t.id(), rootMessage(e)), null);
    }
  }

  private TrialSpec spec(Trial t, List<byte[]> models) {
    String from = t.continuesFrom();
    return new TrialSpec(t.id(), models)
        .epochs(t.initialEpoch(), t.epochs(options.epochs()))
        .batchSize(options.batchSize())
        .objective(oracle.objective())
        .checkpoint(directory.checkpoint(t.id()))
        .continueFrom(from == null ? null : directory.checkpoint(from))
        .callbacks(options.callbacks())
        .columns(data.features, data.featureShape, data.label, data.labelShape,
            settings.get(TrainerSettings.BAD_ROWS));
  }

  private TrialOutcome onShard(Trial t, List<byte[]> models, int shard) {
    JavaRDD<InternalRow> rows = data.shards();
    PartitionPruningRDD<InternalRow> one = PartitionPruningRDD.create(rows.rdd(),
        new OnePartition(shard));
    sc.setLocalProperty("spark.job.description", "Sparkeras trial " + t.id());
    List<TrialOutcome> out = new JavaRDD<>(one, rows.classTag())
        .mapPartitions(new TrialFunction(spec(t, models), validation)).collect();
    return out.get(0);
  }

  /** Keeps partition {@code index} only. */
  private static final class OnePartition extends AbstractFunction1<Object, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int index;

    OnePartition(int index) {
      this.index = index;
    }

    @Override
    public Object apply(Object p) {
      return (Integer) p == index;
    }
  }

  /** Each execution a distributed fit with N workers; the best epoch saved from the driver. */
  private List<Execution> distributed(Trial t, List<Model> built) {
    BestEpoch best = new BestEpoch(oracle.objective());
    List<Execution> executions = new ArrayList<>();
    float[] startWeights = null;
    if (t.continuesFrom() != null) {
      startWeights = TrialCheckpoints.weights(directory.checkpoint(t.continuesFrom()));
    }
    Model last = null;
    for (Model m : built) {
      if (startWeights != null) {
        m.setFlatWeights(startWeights);
      }
      List<Callback> cbs = new ArrayList<>(options.callbacks().create());
      cbs.add(best);
      FitOptions fo = FitOptions.epochs(t.epochs(options.epochs()))
          .initialEpoch(t.initialEpoch()).batchSize(options.batchSize()).verbose(0)
          .callbacks(cbs.toArray(new Callback[0]));
      History h = SparkTrainer.of(train.sparkSession(), m, settings)
          .workers(options.workersPerTrial())
          .fit(train, featuresCol, labelCol, fo, validationFrame);
      executions.add(Execution.of(t.initialEpoch(), h.history()));
      last = m;
    }
    if (best.weights() != null) {
      last.setFlatWeights(best.weights());
      TrialCheckpoints.save(last, directory.checkpoint(t.id()));
    }
    return executions;
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return c == e ? m : m + " (cause: " + c + ")";
  }

  private void report(Trial t, Double seconds) {
    if (options.progress() == null) {
      return;
    }
    StringBuilder b = new StringBuilder("Trial ").append(t.id());
    if (oracle.maxTrials() > 0) {
      b.append('/').append(oracle.maxTrials());
    }
    b.append(' ').append(t.status());
    if (seconds != null) {
      b.append(String.format(Locale.ROOT, " in %.1fs", seconds));
    }
    if (t.score() != null) {
      b.append(String.format(Locale.ROOT, " - %s: %.4f", oracle.objective().name(), t.score()));
    }
    List<Trial> best = oracle.bestTrials(1);
    if (!best.isEmpty()) {
      b.append(String.format(Locale.ROOT, " - best so far: %.4f (trial %s)",
          best.get(0).score(), best.get(0).id()));
    }
    b.append(String.format(Locale.ROOT, " - %.0fs elapsed - ",
        (System.currentTimeMillis() - startMs) / 1000.0));
    b.append(values(t));
    if (t.message() != null) {
      b.append(" - ").append(t.message());
    }
    options.progress().println(b);
  }

  private static String values(Trial t) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : t.hyperparameters().values().entrySet()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(e.getKey()).append('=').append(e.getValue());
    }
    return b.append('}').toString();
  }
}
