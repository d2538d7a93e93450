package io.sparkeras.worker;

import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.models.Model;
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
 */
public final class EpochTask {
  private EpochTask() {}

  /**
   * Trains partition {@code partition} for one epoch.
   *
   * @param baseStep sync: the server's version at the epoch's start; async: pushes made by each
   *     worker so far; averaging: rounds completed so far
   * @param replyHost this executor's address, where the server sends its answers
   */
  public static EpochResult run(TrainSpec spec, Iterator<InternalRow> rows, int partition,
      String replyHost, int epoch, long baseStep, Supplier<byte[]> modelFile) {
    Model model = WorkerModels.borrow(spec.modelKey, modelFile);
    try (ParameterServerClient client = ParameterServerClient.connect(clientContext(spec,
        partition, replyHost))) {
      EpochResult r = train(spec, model, client, rows, partition, epoch, baseStep);
      WorkerModels.release(spec.modelKey, model);
      return r;
    }
  }

  static ParameterServerClient.Context clientContext(TrainSpec spec, int partition, String host) {
    return new ParameterServerClient.Context()
        .server(spec.psEndpoint)
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
        .aeronDirectoryName(ClientDrivers.directory(spec))
        .timeout(spec.clientTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private static EpochResult train(TrainSpec spec, Model model, ParameterServerClient client,
      Iterator<InternalRow> rows, int partition, int epoch, long base) {
    ParameterBlock pb = model.parameterBlock();
    FloatBuffer params = pb.parameters().duplicate();
    params.position(0);
    FloatBuffer grads = pb.gradients().duplicate();
    grads.position(0);
    model.resetMetrics();
    RowBatcher batcher = new RowBatcher(rows, spec.features, spec.featureShape, spec.label,
        spec.labelShape, spec.perWorkerBatch, spec.badRows);
    client.pull(spec.mode == TrainSpec.Mode.ASYNC ? 0 : base, params);
    pb.parametersToDevice();
    int[] fail = parseFailAt(spec.failAt);
    TaskContext tc = TaskContext.get();
    long samples = 0;
    int steps = spec.steps;
    int k = Math.max(1, spec.averagingSteps);
    long round = base;
    for (int s = 0; s < steps; s++) {
      int want = (int) spec.rowsAt(partition, s);
      Batch b = want > 0 ? batcher.next(want) : null;
      int n = b == null ? 0 : b.size();
      if (n > 0) {
        model.computeGradients(b);
        samples += n;
      } else {
        pb.zeroGradients();
        pb.gradientsToHost();
      }
      if (fail != null && fail[0] == epoch && fail[1] == partition && fail[2] == s && tc != null
          && tc.stageAttemptNumber() == 0 && tc.attemptNumber() == 0) {
        throw new IllegalStateException("sparkeras test hook: injected failure at epoch " + epoch
            + ", partition " + partition + ", step " + s + " (first attempt)");
      }
      switch (spec.mode) {
        case SYNC: {
          long global = spec.globalRowsAt(s);
          float scale = global == 0 ? 0f : (float) ((double) n * spec.workers / global);
          if (scale != 1f) {
            scale(grads, pb.size(), scale);
          }
          client.pushGradient(epoch, base + s, grads);
          client.pull(base + s + 1, params);
          pb.parametersToDevice();
          break;
        }
        case ASYNC:
          client.pushGradient(epoch, base + s, grads);
          client.pull(Math.max(0, base + s + 1 - spec.staleness), params);
          pb.parametersToDevice();
          break;
        case AVERAGING:
          if (n > 0) {
            model.applyGradients();
          }
          if ((s + 1) % k == 0 || s == steps - 1) {
            pb.parametersToHost();
            client.pushWeights(epoch, round, params);
            client.pull(round + 1, params);
            pb.parametersToDevice();
            round++;
          }
          break;
        default:
          throw new IllegalStateException(spec.mode.name());
      }
    }
    return new EpochResult(partition, steps, samples, batcher.rowsSkipped(), model.currentLogs());
  }

  private static void scale(FloatBuffer g, int size, float f) {
    for (int i = 0; i < size; i++) {
      g.put(i, g.get(i) * f);
    }
  }

  private static int[] parseFailAt(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    String[] p = s.split(":");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
  }

  /** Averaging rounds of one epoch of {@code steps} steps with a round every {@code k} steps. */
  public static int roundsPerEpoch(int steps, int k) {
    return (steps + k - 1) / Math.max(1, k);
  }
}
