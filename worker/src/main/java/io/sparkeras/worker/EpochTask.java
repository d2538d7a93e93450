package io.sparkeras.worker;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.models.Model;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.client.ParameterServerClient;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One worker's epoch, run inside a Spark (barrier) task: borrow the model (built once per
 * executor JVM), connect to the parameter server, then for every step read the next batch of the
 * partition, compute the gradient, push it with (job, epoch, partition, step), pull the new
 * parameters.
 *
 * <p>Sync mode: every worker takes {@link TrainSpec#steps()} steps; a worker whose partition is
 * used up pushes a zero gradient. Each worker's gradient (mean over its rows) is scaled by
 * {@code rows × N / globalRows} so that the server's average over N workers is the mean over the
 * global batch, exactly as one process with batch {@code N × perWorkerBatch} on the same rows
 * (also for the last, partial batch). A retried task replays its steps: pushes of steps already
 * applied are acknowledged as duplicates and never applied twice, and pulls return at once.
 *
 * <p>Non-trainable weights ({@link TrainSpec#localRanges}, moved by {@link LocalRanges}, e.g.
 * batch normalization's moving statistics) stay the worker's own in sync and async mode: they
 * start the epoch at the values the driver sends, the forward passes update them, and every pull
 * leaves them as they are (the server's copy of them is not used). The task reports them at the
 * end for the driver to average. In averaging mode the server averages them with the other
 * weights.
 */
public final class EpochTask {
  private EpochTask() {}

  /**
   * Trains partition {@code partition} for one epoch.
   *
   * @param baseStep sync: the server's version at the epoch's start; async: pushes made by each
   *     worker so far; averaging: rounds completed so far
   * @param replyHost this executor's address, where the server sends its answers
   * @param localStart the values of {@link TrainSpec#localRanges} at the epoch's start
   *     (concatenated), or null when there are none
   */
  public static EpochResult run(TrainSpec spec, Iterator<InternalRow> rows, int partition,
      String replyHost, int epoch, long baseStep, float[] localStart,
      Supplier<byte[]> modelFile) {
    Model model = WorkerModels.borrow(spec.modelKey, modelFile);
    Backends.current().setSeed(spec.taskSeed(epoch, partition));
    try (ParameterServerClient client = ParameterServerClient.connect(clientContext(spec,
        partition, replyHost))) {
      EpochResult r = train(spec, model, client, rows, partition, epoch, baseStep, localStart);
      WorkerModels.release(spec.modelKey, model);
      return r;
    }
  }

  static ParameterServerClient.Context clientContext(TrainSpec spec, int partition, String host) {
    String dir = ClientDrivers.directory(spec);
    TaskContext task = TaskContext.get();
    return new ParameterServerClient.Context()
        // a task Spark kills (its barrier stage failed) stops waiting at once and frees its slot
        .cancelled(task == null ? null : task::isInterrupted)
        .ipc(spec.ipc && dir.equals(spec.aeronDirectory))
        .servers(spec.psEndpoint.split(","))
        .streamIdBase(spec.streamIdBase)
        .replyHost(host)
        .jobId(spec.jobId)
        .secret(spec.secret)
        .partition(partition)
        .workerId(partition)
        .mtuLength(spec.mtuLength)
        .termLength(spec.termLength)
        .socketBufferLength(spec.socketBufferLength)
        .receiverWindowLength(spec.receiverWindowLength)
        .launchEmbeddedDriver(false)
        .aeronDirectoryName(dir)
        .timeout(spec.clientTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private static EpochResult train(TrainSpec spec, Model model, ParameterServerClient client,
      Iterator<InternalRow> rows, int partition, int epoch, long base, float[] localStart) {
    ParameterBlock pb = model.parameterBlock();
    FloatBuffer params = pb.parameters().duplicate();
    params.position(0);
    FloatBuffer grads = pb.gradients().duplicate();
    grads.position(0);
    model.resetMetrics();
    // augmentation layers draw from a stream of their own per (epoch, partition)
    RowBatcher batcher = new RowBatcher(rows, spec.layout.encoder(model, true,
        ((long) epoch << 20) + partition), spec.layout, spec.perWorkerBatch, spec.badRows);
    TrainingMode mode = spec.mode.kind();
    client.pull(mode == TrainingMode.ASYNC ? 0 : base, params);
    int[] local = spec.localRanges;
    boolean keepLocal = local.length > 0 && mode != TrainingMode.AVERAGING;
    float[] localValues = keepLocal ? localStart.clone() : null;
    if (keepLocal) {
      LocalRanges.scatter(localValues, local, params);
    }
    pb.parametersToDevice();
    long samples = 0;
    int steps = spec.steps;
    int k = spec.mode.averageEvery();
    long round = base;
    double roundLoss = 0;
    int roundSamples = 0;
    long tCompute = 0;
    long tPush = 0;
    long tPull = 0;
    for (int s = 0; s < steps; s++) {
      long t0 = System.nanoTime();
      int want = (int) spec.rowsAt(partition, s);
      Batch b = want > 0 ? batcher.next(want) : null;
      int n = b == null ? 0 : b.size();
      float loss = Float.NaN;
      if (n > 0) {
        loss = (float) model.computeGradients(b);
        samples += n;
      } else {
        pb.zeroGradients();
        pb.gradientsToHost();
      }
      long t1 = System.nanoTime();
      long t2 = t1;
      switch (mode) {
        case SYNC: {
          long global = spec.globalRowsAt(s);
          float scale = global == 0 ? 0f : (float) ((double) n * spec.workers / global);
          if (scale != 1f) {
            scale(grads, pb.size(), scale);
          }
          client.pushGradient(epoch, base + s, grads, loss, n);
          t2 = System.nanoTime();
          if (keepLocal) {
            pb.parametersToHost();
            LocalRanges.gather(params, local, localValues);
          }
          client.pull(base + s + 1, params);
          if (keepLocal) {
            LocalRanges.scatter(localValues, local, params);
          }
          pb.parametersToDevice();
          break;
        }
        case ASYNC:
          client.pushGradient(epoch, base + s, grads, loss, n);
          t2 = System.nanoTime();
          if (keepLocal) {
            pb.parametersToHost();
            LocalRanges.gather(params, local, localValues);
          }
          client.pull(Math.max(0, base + s + 1 - spec.mode.staleness()), params);
          if (keepLocal) {
            LocalRanges.scatter(localValues, local, params);
          }
          pb.parametersToDevice();
          break;
        case AVERAGING:
          if (n > 0) {
            model.applyGradients();
            roundLoss += (double) loss * n;
            roundSamples += n;
          }
          if ((s + 1) % k == 0 || s == steps - 1) {
            pb.parametersToHost();
            client.pushWeights(epoch, round, params,
                roundSamples == 0 ? Float.NaN : (float) (roundLoss / roundSamples), roundSamples);
            roundLoss = 0;
            roundSamples = 0;
            client.pull(round + 1, params);
            pb.parametersToDevice();
            round++;
          }
          break;
        default:
          throw new IllegalStateException(mode.name());
      }
      long t3 = System.nanoTime();
      tCompute += t1 - t0;
      tPush += t2 - t1;
      tPull += t3 - t2;
    }
    EpochResult r = new EpochResult(partition, steps, samples, batcher.rowsSkipped(),
        model.trainer().currentStates(samples));
    r.computeSeconds = tCompute / 1e9;
    r.pushSeconds = tPush / 1e9;
    r.pullSeconds = tPull / 1e9;
    if (keepLocal) {
      pb.parametersToHost();
      LocalRanges.gather(params, local, localValues);
      r.localWeights = localValues;
    }
    return r;
  }

  private static void scale(FloatBuffer g, int size, float f) {
    for (int i = 0; i < size; i++) {
      g.put(i, g.get(i) * f);
    }
  }

  /** Averaging rounds of one epoch of {@code steps} steps with a round every {@code k} steps. */
  public static int roundsPerEpoch(int steps, int k) {
    return (steps + k - 1) / Math.max(1, k);
  }
}
