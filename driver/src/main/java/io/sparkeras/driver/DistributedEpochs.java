package io.sparkeras.driver;

import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.trainers.EpochLoop;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.LocalRanges;
import io.sparkeras.worker.TrainSpec;
import io.sparkeras.worker.WorkerModels;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Function1;
import scala.collection.Iterator;

/**
 * What an epoch of a distributed fit does, for the shared epoch loop ({@link EpochLoop}, which
 * owns the callbacks, stop-training and the History): train runs one barrier stage of the
 * workers against the embedded parameter server, with live progress, and puts the trained
 * weights back into the model; validate scores the validation DataFrame on the executors;
 * afterEpoch writes the checkpoint. Holds what lives as long as the fit: the server, the model
 * file's broadcast, the dealt rows (each epoch reads them in its own order).
 *
 * <pre>{@code
 * try (DistributedEpochs epochs = new DistributedEpochs(fit, server, spec, rows, ...)) {
 *   History h = EpochLoop.run(model, callbacks, initialEpoch, options.epochs(), epochs);
 * }
 * }</pre>
 */
final class DistributedEpochs implements EpochLoop.Epochs, AutoCloseable {
  /** Wraps the body of an epoch's barrier tasks: a test seam (tests inject task failures). */
  interface TaskWrapper {
    /** No wrapping. */
    TaskWrapper NONE = (epoch, body) -> body;

    Function1<Iterator<InternalRow>, Iterator<EpochResult>> wrap(int epoch,
        Function1<Iterator<InternalRow>, Iterator<EpochResult>> body);
  }

  private final SparkContext sc;
  private final Model model;
  private final TrainerSettings settings;
  private final TrainingServer server;
  private final TrainSpec spec;
  private final TrainingRows rows;
  private final Broadcast<byte[]> modelFile;
  private final DistributedScoring scoring;
  private final ColumnResolver.Columns validation;
  private final int epochs;
  private final TaskWrapper tasks;
  private final Consumer<List<EpochResult>> results;
  private final long seed;
  /** Async: the pushes each worker has made so far (the base of the next epoch's steps). */
  private long pushes;
  /** The base step of the epoch after the last one trained, for its checkpoint. */
  private long nextBase;

  /**
   * @param spec the tasks' spec, complete but for the server's part ({@link
   *     TrainingServer#describe}) and the model file's key, which are filled in here
   * @param baseStep the pushes made before the first epoch (a resumed fit's), else 0
   * @param seed the fit's seed, kept in the checkpoints (a resumed fit takes the same plan)
   * @param tasks wraps each epoch's task body ({@link TaskWrapper#NONE} but in tests)
   * @param results receives every epoch's task results
   */
  DistributedEpochs(SparkContext sc, Model model, TrainerSettings settings, TrainingServer server,
      TrainSpec spec, TrainingRows rows, ColumnResolver.Columns validation,
      DistributedScoring scoring, int epochs, long baseStep, long seed,
      TaskWrapper tasks, Consumer<List<EpochResult>> results) {
    this.sc = sc;
    this.model = model;
    this.settings = settings;
    this.server = server;
    this.spec = server.describe(spec);
    this.rows = rows;
    this.validation = validation;
    this.scoring = scoring;
    this.epochs = epochs;
    this.pushes = baseStep;
    this.tasks = tasks;
    this.results = results;
    this.seed = seed;
    byte[] file = WorkerModels.toBytes(model);
    this.spec.modelKey(WorkerModels.key(file));
    this.modelFile = JavaSparkContext.fromSparkContext(sc).broadcast(file);
  }

  @Override
  public Map<String, Double> train(int epoch, CallbackList callbacks) {
    SyncMode mode = settings.mode();
    server.refreshLearningRate();
    float[] weights = new float[model.parameterBlock().size()];
    long version = server.readParameters(weights);
    long base = mode.kind() == TrainingMode.ASYNC ? pushes : version;
    String description = "sparkeras fit epoch " + (epoch + 1) + "/" + epochs;
    int[] local = spec.localRanges();
    float[] localStart = localWeights(model.getFlatWeights(), local);
    EpochProgress progress = new EpochProgress(server, mode,
        settings.get(TrainerSettings.WORKERS), spec.steps(), callbacks);
    List<EpochResult> done = EpochJob.run(sc, rows.epoch(epoch),
        tasks.wrap(epoch, new TrainEpochFunction(spec, modelFile, epoch, base, localStart)),
        description, progress::update, server::failure);
    pushes += spec.steps();
    nextBase = mode.kind() == TrainingMode.ASYNC ? pushes : version + spec.steps();
    results.accept(done);
    long skipped = done.stream().mapToLong(r -> r.skipped).sum();
    if (skipped > 0) {
      System.err.println("sparkeras: " + description + ": skipped " + skipped + " bad rows "
          + "(null, wrong width, NaN or infinite values)");
    }
    server.readParameters(weights);
    if (localStart != null && mode.kind() != TrainingMode.AVERAGING) {
      // the server's copy of the non-trainable weights is unused: take the workers' mean
      float[] merged = EpochResult.mergeLocalWeights(done);
      LocalRanges.scatter(merged != null ? merged : localStart, local, FloatBuffer.wrap(weights));
    }
    model.setFlatWeights(weights);
    return model.trainer().mergeStates(EpochResult.logsOf(done));
  }

  /** The non-trainable ranges' values, or null when there are none. */
  private static float[] localWeights(float[] flat, int[] ranges) {
    if (ranges.length == 0) {
      return null;
    }
    float[] out = new float[LocalRanges.length(ranges)];
    LocalRanges.gather(FloatBuffer.wrap(flat), ranges, out);
    return out;
  }

  @Override
  public Map<String, Double> validate(int epoch) {
    return validation == null ? Map.of() : scoring.evaluate(validation);
  }

  /** Writes the epoch's checkpoint (model and server) when a checkpoint dir is set. */
  @Override
  public void afterEpoch(int epoch, Map<String, Double> logs) {
    String dir = settings.get(TrainerSettings.CHECKPOINT_DIR);
    if (dir != null) {
      TrainingCheckpoints.write(dir, epoch, nextBase, seed, tmp -> {
        model.save(tmp + "/" + TrainingCheckpoints.MODEL);
        server.checkpoint(tmp + "/" + TrainingCheckpoints.PS);
      });
    }
  }

  @Override
  public void close() {
    modelFile.destroy();
  }
}
