package io.sparkeras.ps;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.server.Checkpoints;
import io.sparkeras.ps.server.GlobalNormExchange;
import io.sparkeras.ps.server.ShardAgent;
import io.sparkeras.ps.server.ShardCounter;
import io.sparkeras.ps.server.ShardSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.apache.hadoop.conf.Configuration;

/**
 * The parameter server of one training job: S shard agents, each on its own thread, behind an
 * embedded (or external) Aeron media driver. Workers reach it with
 * {@link io.sparkeras.ps.client.ParameterServerClient}.
 *
 * <pre>{@code
 * ParameterServerContext ctx = new ParameterServerContext()
 *     .bind("127.0.0.1:40123").shards(2).workers(4).mode(TrainingMode.SYNC)
 *     .initialParameters(weights)                       // flat float vector
 *     .optimizer("adam", Map.of("learning_rate", 1e-3))
 *     .jobId(42).jobSecret(secret);
 * try (ParameterServer ps = ParameterServer.launch(ctx)) {
 *   // ... workers train ...
 *   ps.checkpoint("hdfs://nn/jobs/42/ps.ckpt");
 *   ps.readParameters(weights);
 * }
 * }</pre>
 */
public final class ParameterServer implements AutoCloseable {
  private final ParameterServerContext ctx;
  private final MediaDriver driver;
  private final Aeron aeron;
  private final ShardAgent[] shards;
  private final AgentRunner[] runners;
  private final Configuration hadoopConf = new Configuration();

  private ParameterServer(ParameterServerContext ctx) {
    this.ctx = ctx;
    Checkpoints.Checkpoint restored = null;
    if (ctx.restoreFrom() != null) {
      restored = readCheckpoint(ctx);
    }
    ctx.conclude();
    MediaDriver launched = null;
    Aeron connected = null;
    List<AgentRunner> started = new ArrayList<>();
    try {
      if (ctx.launchEmbeddedDriver()) {
        launched = MediaDrivers.launch(ctx.aeronDirectoryName(), ctx.mtuLength(), ctx.termLength(),
            ctx.socketBufferLength(), ctx.receiverWindowLength(), ctx.dedicatedDriverThreads());
      }
      connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
      // this node's shards: all of them unless they are spread over several nodes
      int first = ctx.firstShard();
      shards = new ShardAgent[ctx.localShards()];
      GlobalNormExchange normExchange = null;
      if (ctx.clipping() == io.sparkeras.core.optim.FlatOptimizer.Clipping.GLOBAL_NORM
          && ctx.shards() > 1) {
        int[] variablesPerShard = new int[ctx.shards()];
        for (int i = 0; i < variablesPerShard.length; i++) {
          variablesPerShard[i] = ctx.localVariableRanges(i).length / 2;
        }
        normExchange = new GlobalNormExchange(variablesPerShard);
      }
      runners = new AgentRunner[shards.length];
      for (int i = 0; i < shards.length; i++) {
        FloatBuffer initial = null;
        if (ctx.initialParameters() != null) {
          initial = ctx.initialParameters().duplicate();
          initial.position(initial.position() + ctx.shardOffset(first + i));
        }
        shards[i] = new ShardAgent(ctx, first + i, connected, initial,
            restored == null ? null : restored.shards[i], normExchange);
        runners[i] = new AgentRunner(ctx.idleStrategySupplier().get(),
            t -> System.err.println("sparkeras-ps: shard error: " + t), null, shards[i]);
      }
      for (AgentRunner r : runners) {
        AgentRunner.startOnThread(r);
        started.add(r);
      }
    } catch (RuntimeException e) {
      started.forEach(CloseHelper::quietClose);
      CloseHelper.quietClose(connected);
      CloseHelper.quietClose(launched);
      throw e;
    }
    this.driver = launched;
    this.aeron = connected;
  }

  private static Checkpoints.Checkpoint readCheckpoint(ParameterServerContext ctx) {
    Checkpoints.Checkpoint c = null;
    for (String uri : ctx.restoreFrom().split(",")) {
      Checkpoints.Checkpoint part;
      try {
        part = Checkpoints.read(uri.trim(), new Configuration());
      } catch (IOException e) {
        throw new UncheckedIOException("restore from " + uri + ": " + e.getMessage(), e);
      }
      c = c == null ? part : Checkpoints.concat(c, part, uri);
    }
    if (ctx.parameterCount() >= 0 && ctx.parameterCount() != c.totalLength) {
      throw new IllegalArgumentException("restore: checkpoint has " + c.totalLength
          + " parameters, parameterCount is " + ctx.parameterCount());
    }
    if (c.shards.length != ctx.localShards() || c.workers != ctx.workers()
        || c.modeOrdinal != ctx.mode().ordinal() || !c.optimizer.equalsIgnoreCase(ctx.optimizerName())) {
      throw new IllegalArgumentException("restore: checkpoint was written with shards="
          + c.shards.length
          + ", workers=" + c.workers + ", mode=" + TrainingMode.values()[c.modeOrdinal]
          + ", optimizer=" + c.optimizer + "; this server has shards=" + ctx.localShards()
          + (ctx.nodes() > 1 ? " (node " + ctx.node() + " of " + ctx.nodes() + ")" : "")
          + ", workers="
          + ctx.workers() + ", mode=" + ctx.mode() + ", optimizer=" + ctx.optimizerName());
    }
    ctx.parameterCountFromCheckpoint(c.totalLength);
    for (int i = 0; i < c.shards.length; i++) {
      int shard = ctx.firstShard() + i;
      if (c.shards[i].shardId != shard || c.shards[i].offset != ctx.shardOffset(shard)) {
        throw new IllegalArgumentException("restore: checkpoint shard " + c.shards[i].shardId
            + " starts at " + c.shards[i].offset + ", this server's shard " + shard + " at "
            + ctx.shardOffset(shard) + " (variableRanges or nodes differ?)");
      }
    }
    return c;
  }

  /** Validates {@code ctx}, starts the driver (if embedded) and the shards. */
  public static ParameterServer launch(ParameterServerContext ctx) {
    return new ParameterServer(ctx);
  }

  /** The concluded settings. */
  public ParameterServerContext context() {
    return ctx;
  }

  /** The thread running shard {@code shard} (tests measure its allocation). */
  Thread shardThread(int shard) {
    return runners[shard].thread();
  }

  /**
   * Number of shards this server runs: all of the job's, or this node's share when they are
   * spread over several nodes ({@link ParameterServerContext#nodes(int, int)}).
   */
  public int shardCount() {
    return shards.length;
  }

  /** Value of a counter of one shard ({@code shard}: this server's, from 0). */
  public long counter(int shard, ShardCounter counter) {
    return shards[shard].counter(counter);
  }

  /** Sum of a counter over all shards. */
  public long counter(ShardCounter counter) {
    long total = 0;
    for (ShardAgent s : shards) {
      total += s.counter(counter);
    }
    return total;
  }

  /**
   * Updates the server has applied since it was launched: one per step in sync mode, one per push
   * in async mode, one per round in averaging mode (counted on the first shard; every shard
   * applies the same ones). A driver's live progress follows it. Cheap; any thread.
   *
   * <pre>{@code
   * long before = ps.stepsApplied();
   * // ... workers train ...
   * long steps = ps.stepsApplied() - before;
   * }</pre>
   */
  public long stepsApplied() {
    return shards[0].counter(ShardCounter.STEPS);
  }

  /**
   * {@code {sum of loss × samples, samples}} over every applied push that carried its training
   * loss (see {@code ParameterServerClient.pushGradient(..., loss, samples)}): the driver's live
   * progress shows {@code sum / samples} since the epoch's start. Kept by shard 0: a node
   * without it ({@link ParameterServerContext#nodes(int, int)}) answers {@code {0, 0}}. Cheap;
   * any thread.
   */
  public double[] trainingLoss() {
    return ctx.firstShard() == 0 ? shards[0].trainingLoss() : new double[] {0, 0};
  }

  /** Failure message of the job if any shard failed it (e.g. a sync timeout), else null. */
  public String failure() {
    for (ShardAgent s : shards) {
      String f = s.failure();
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /** Consistent per-shard snapshots (each taken between two messages on its shard's thread). */
  public ShardSnapshot[] snapshot() {
    ShardSnapshot[] result = new ShardSnapshot[shards.length];
    try {
      for (int i = 0; i < shards.length; i++) {
        result[i] = shards[i].snapshot().get(60, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ParameterServerException("snapshot interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ParameterServerException("snapshot failed: " + e, e);
    }
    return result;
  }

  /**
   * Copies the current parameters into {@code dest[0, parameterCount)} (only this node's ranges
   * when the shards are spread over several nodes); returns the minimum shard version.
   */
  public long readParameters(FloatBuffer dest) {
    long min = Long.MAX_VALUE;
    for (ShardSnapshot s : snapshot()) {
      dest.put(s.offset, s.params);
      min = Math.min(min, s.version);
    }
    return min;
  }

  /**
   * Writes parameters, optimizer state, versions and worker clocks to a Hadoop path ({@code file:},
   * {@code hdfs://}), atomically (temp file + rename). Take it between steps for an exact resume.
   */
  public void checkpoint(String uri) {
    ShardSnapshot[] snaps = snapshot();
    try {
      Checkpoints.write(uri, hadoopConf, ctx.parameterCount(), ctx.workers(), ctx.mode().ordinal(),
          ctx.updateRule().name(), ctx.updateRule().stateSlots(), snaps);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint to " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Stops the shards, then the Aeron client and the embedded driver (which deletes its directory). */
  @Override
  public void close() {
    for (AgentRunner r : runners) {
      CloseHelper.quietClose(r);
    }
    CloseHelper.quietClose(aeron);
    CloseHelper.quietClose(driver);
  }
}
