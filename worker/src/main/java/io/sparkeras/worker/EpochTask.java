package io.sparkeras.worker;

import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.models.Model;
import io.sparkeras.ps.client.ParameterServerClient;
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
      EpochResult r = new EpochLoop(spec, model, client, partition, epoch, baseStep)
          .run(rows, localStart);
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

  /** Averaging rounds of one epoch of {@code steps} steps with a round every {@code k} steps. */
  public static int roundsPerEpoch(int steps, int k) {
    return (steps + k - 1) / Math.max(1, k);
  }
}
