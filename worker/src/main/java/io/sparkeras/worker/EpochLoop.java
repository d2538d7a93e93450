package io.sparkeras.worker;

import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.models.Model;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.client.ParameterServerClient;
import java.nio.FloatBuffer;
import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The steps of one worker's epoch ({@link EpochTask} sets up the model and the client): read a
 * batch, compute the gradient, exchange with the parameter server as the mode says.
 *
 * <p>Sync and async: the gradient is pushed ({@link GradientStream}) and the new parameters
 * pulled; each shard's parameters are asked for as soon as its part of the push is out. With
 * {@link TrainSpec#overlapPush} (the default) the push starts while backward still runs, so the
 * server updates the last layers and streams them back while this worker finishes the first
 * layers. While the pull waits, the next step's rows are read. Averaging: local optimizer
 * steps, then the weights are pushed and the mean pulled every {@code averageEvery} steps.
 */
final class EpochLoop {
  private final TrainSpec spec;
  private final Model model;
  private final ParameterServerClient client;
  private final int partition;
  private final int epoch;
  private final long base;
  private final TrainingMode mode;
  private final ParameterBlock pb;
  private final FloatBuffer params;
  private final FloatBuffer grads;
  private final int[] local;
  private final boolean keepLocal;
  private float[] localValues;
  private long samples;
  private long round;
  private double roundLoss;
  private int roundSamples;
  private long tCompute;
  private long tPush;
  private long tPull;
  private GradientStream stream;
  private RowBatcher batcher;
  /** The batch of step {@link #prefetchedStep}, read while the previous step's pull waited. */
  private Batch prefetched;
  private int prefetchedStep = -1;

  EpochLoop(TrainSpec spec, Model model, ParameterServerClient client, int partition, int epoch,
      long base) {
    this.spec = spec;
    this.model = model;
    this.client = client;
    this.partition = partition;
    this.epoch = epoch;
    this.base = base;
    this.mode = spec.mode.kind();
    this.pb = model.parameterBlock();
    this.params = pb.parameters().duplicate();
    params.position(0);
    this.grads = pb.gradients().duplicate();
    grads.position(0);
    this.local = spec.localRanges;
    this.keepLocal = local.length > 0 && mode != TrainingMode.AVERAGING;
    this.round = base;
  }

  /**
   * Trains the partition's rows for one epoch.
   *
   * @param localStart the values of {@link TrainSpec#localRanges} at the epoch's start
   *     (concatenated), or null when there are none
   */
  EpochResult run(Iterator<InternalRow> rows, float[] localStart) {
    model.resetMetrics();
    // augmentation layers draw from a stream of their own per (epoch, partition)
    batcher = new RowBatcher(rows, spec.layout.encoder(model, true,
        ((long) epoch << 20) + partition), spec.layout, spec.perWorkerBatch, spec.badRows);
    client.pull(mode == TrainingMode.ASYNC ? 0 : base, params);
    localValues = keepLocal ? localStart.clone() : null;
    if (keepLocal) {
      LocalRanges.scatter(localValues, local, params);
    }
    pb.parametersToDevice();
    stream = mode == TrainingMode.AVERAGING ? null
        : GradientStream.attach(pb, client, grads, spec.overlapPush);
    try {
      for (int s = 0; s < spec.steps; s++) {
        step(s);
      }
    } finally {
      if (stream != null) {
        stream.detach();
      }
    }
    EpochResult r = new EpochResult(partition, spec.steps, samples, batcher.rowsSkipped(),
        model.trainer().currentStates(samples));
    r.computeSeconds = tCompute / 1e9;
    r.pushSeconds = tPush / 1e9;
    r.pullSeconds = tPull / 1e9;
    r.pushedDuringBackward = stream == null ? 0 : stream.earlyFraction();
    if (keepLocal) {
      pb.parametersToHost();
      LocalRanges.gather(params, local, localValues);
      r.localWeights = localValues;
    }
    return r;
  }

  private void step(int s) {
    long t0 = System.nanoTime();
    Batch b = batchAt(s);
    int n = b == null ? 0 : b.size();
    float scale = 1f;
    if (mode == TrainingMode.SYNC) {
      long global = spec.globalRowsAt(s);
      scale = global == 0 ? 0f : (float) ((double) n * spec.workers / global);
    }
    if (stream != null) {
      stream.begin(epoch, base + s, scale, n);
    }
    float loss = Float.NaN;
    if (n > 0) {
      loss = (float) model.computeGradients(b);  // with overlapPush, pushes begin in here
      samples += n;
    } else {
      pb.zeroGradients();
      pb.gradientsToHost();
    }
    long t1 = System.nanoTime();
    long t2 = mode == TrainingMode.AVERAGING ? averagingStep(s, n, loss)
        : gradientStep(s, loss);
    long t3 = System.nanoTime();
    tCompute += t1 - t0;
    tPush += t2 - t1;
    tPull += t3 - t2;
  }

  /** Step {@code s}'s rows: the prefetched batch, or read now; null when there are none. */
  private Batch batchAt(int s) {
    if (prefetchedStep == s) {
      prefetchedStep = -1;
      Batch b = prefetched;
      prefetched = null;
      return b;
    }
    int want = (int) spec.rowsAt(partition, s);
    return want > 0 ? batcher.next(want) : null;
  }

  /**
   * While the pull waits (for the other workers and the server's update): reads step
   * {@code s + 1}'s rows, which this step's batch no longer needs (its buffers are reused).
   */
  private void prefetch(int s) {
    if (s + 1 < spec.steps) {
      prefetched = batchAt(s + 1);
      prefetchedStep = s + 1;
    }
  }

  /** Sync and async: finishes the push, pulls; returns when the push ended. */
  private long gradientStep(int s, float loss) {
    long waitFor = mode == TrainingMode.SYNC ? base + s + 1
        : Math.max(0, base + s + 1 - spec.mode.staleness());
    if (keepLocal) {
      pb.parametersToHost();
      LocalRanges.gather(params, local, localValues);
    }
    // shards whose part went out during backward are asked now, the rest as it is sent
    client.beginPull(waitFor, params);
    stream.finish(loss);
    long pushed = System.nanoTime();
    prefetch(s);
    client.awaitPull();
    if (keepLocal) {
      LocalRanges.scatter(localValues, local, params);
    }
    pb.parametersToDevice();
    return pushed;
  }

  /** Averaging: a local step; every averageEvery steps, push the weights and pull the mean. */
  private long averagingStep(int s, int n, float loss) {
    long pushed = System.nanoTime();
    if (n > 0) {
      model.applyGradients();
      roundLoss += (double) loss * n;
      roundSamples += n;
    }
    if ((s + 1) % spec.mode.averageEvery() == 0 || s == spec.steps - 1) {
      pb.parametersToHost();
      client.pushWeights(epoch, round, params,
          roundSamples == 0 ? Float.NaN : (float) (roundLoss / roundSamples), roundSamples);
      pushed = System.nanoTime();
      roundLoss = 0;
      roundSamples = 0;
      client.pull(round + 1, params);
      pb.parametersToDevice();
      round++;
    }
    return pushed;
  }
}
