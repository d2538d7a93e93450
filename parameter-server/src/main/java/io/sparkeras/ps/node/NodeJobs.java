package io.sparkeras.ps.node;

import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.codecs.AdminStatus;
import io.sparkeras.ps.codecs.NodeState;
import io.sparkeras.ps.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.CloseHelper;

/**
 * The job a server node runs, as authenticated admin requests change it: idle, loading (an INIT
 * whose initial weights are arriving in chunks) or running (a {@link ParameterServer} with the
 * node's shards of the job). Every request is checked whole before anything changes: a refused
 * or malformed one leaves the node as it was. A running job is only replaced by an INIT that asks
 * for a reset; a reset whose new job then fails to start leaves the node idle, with the reason in
 * the answer. Confined to the admin agent's thread.
 */
final class NodeJobs implements AutoCloseable {
  /** What a request did: the answer's status and message. */
  record Outcome(AdminStatus status, String message) {
    static Outcome ok(String message) {
      return new Outcome(AdminStatus.OK, message);
    }
  }

  private final String bind;
  private final String aeronDirectory;
  private final int socketBufferLength;
  private NodeState state = NodeState.IDLE;
  private long jobId;
  private ParameterServer server;
  private AtomicReference<LearningRateSchedule> rate;
  // loading
  private JobSpec pending;
  private byte[] pendingSecret;
  private FloatBuffer staging;
  private BitSet received;
  private int chunkCount;

  NodeJobs(String bind, String aeronDirectory, int socketBufferLength) {
    this.bind = bind;
    this.aeronDirectory = aeronDirectory;
    this.socketBufferLength = socketBufferLength;
  }

  NodeState state() {
    return state;
  }

  long jobId() {
    return jobId;
  }

  /** The running job's server, or null. */
  ParameterServer server() {
    return server;
  }

  /** INIT: a new job on this node (refused while another runs unless {@code reset}). */
  Outcome init(long newJob, boolean reset, JobSpec spec, byte[] secret, int chunks) {
    if (state == NodeState.RUNNING && !reset) {
      return new Outcome(AdminStatus.REFUSED, "job " + jobId + " is in progress on this node ("
          + server.stepsApplied() + " steps applied); an INIT with reset replaces it");
    }
    ParameterServerContext check;
    try {
      if (spec.socketBufferLength() != socketBufferLength) {
        throw new IllegalArgumentException("socketBufferLength: the job asks "
            + spec.socketBufferLength() + ", this node listens with " + socketBufferLength
            + " (--socket-buffer)");
      }
      check = spec.context(bind, aeronDirectory, newJob, secret, new AtomicReference<>(), null)
          .conclude();
    } catch (RuntimeException e) {
      return new Outcome(AdminStatus.BAD_REQUEST, "job " + newJob + ": " + e.getMessage());
    }
    int expected = spec.restoreFrom() != null ? 0
        : Protocol.chunkCount(check.parameterCount(), ServerNode.INIT_CHUNK_FLOATS);
    if (chunks != expected) {
      return new Outcome(AdminStatus.BAD_REQUEST, "chunkCount: " + check.parameterCount()
          + " parameters take " + expected + " chunks of " + ServerNode.INIT_CHUNK_FLOATS
          + " floats" + (spec.restoreFrom() != null ? " (none when restoring)" : "")
          + ", found " + chunks);
    }
    stopJob();
    if (spec.restoreFrom() != null) {
      return launch(newJob, spec, secret, null);
    }
    state = NodeState.LOADING;
    jobId = newJob;
    pending = spec;
    pendingSecret = secret;
    staging = ByteBuffer.allocateDirect(check.parameterCount() * Float.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    received = new BitSet(expected);
    chunkCount = expected;
    return Outcome.ok("job " + newJob + " loading: send " + expected + " chunks");
  }

  /** INIT_PARAMS: chunk {@code index} of the initial weights; the last one starts the job. */
  Outcome params(long job, int index, int count, byte[] littleEndianFloats) {
    if (state != NodeState.LOADING || job != jobId) {
      return new Outcome(AdminStatus.REFUSED, "no INIT of job " + job + " is loading on this node"
          + describe());
    }
    int length = staging.capacity();
    if (count != chunkCount || index < 0 || index >= count) {
      return new Outcome(AdminStatus.BAD_REQUEST, "chunk " + index + " of " + count
          + ": expected an index in [0, " + chunkCount + ") of " + chunkCount + " chunks");
    }
    int floats = Protocol.chunkLength(length, ServerNode.INIT_CHUNK_FLOATS, index);
    if (littleEndianFloats.length != floats * Float.BYTES) {
      return new Outcome(AdminStatus.BAD_REQUEST, "chunk " + index + ": expected " + floats
          + " floats (" + floats * Float.BYTES + " bytes), found " + littleEndianFloats.length
          + " bytes");
    }
    FloatBuffer in = ByteBuffer.wrap(littleEndianFloats).order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer();
    staging.put(index * ServerNode.INIT_CHUNK_FLOATS, in, 0, floats);
    received.set(index);
    if (received.cardinality() < chunkCount) {
      return Outcome.ok("chunk " + index + " of job " + job);
    }
    FloatBuffer init = staging.duplicate().clear();
    return launch(jobId, pending, pendingSecret, init);
  }

  private Outcome launch(long newJob, JobSpec spec, byte[] secret, FloatBuffer initial) {
    clearLoading();
    AtomicReference<LearningRateSchedule> newRate = new AtomicReference<>();
    try {
      server = ParameterServer.launch(spec.context(bind, aeronDirectory, newJob, secret, newRate,
          initial));
    } catch (RuntimeException e) {
      state = NodeState.IDLE;
      return new Outcome(AdminStatus.FAILED, "job " + newJob + " did not start: " + e.getMessage());
    }
    rate = newRate;
    jobId = newJob;
    state = NodeState.RUNNING;
    ParameterServerContext ctx = server.context();
    return Outcome.ok("job " + newJob + " running: shards " + ctx.firstShard() + ".."
        + (ctx.firstShard() + ctx.localShards() - 1) + " of " + ctx.shards() + ", "
        + ctx.parameterCount() + " parameters" + (spec.restoreFrom() != null
            ? ", restored from " + spec.restoreFrom() : ""));
  }

  /** CHECKPOINT: the running job's shards to a Hadoop path the node can write. */
  Outcome checkpoint(long job, String uri) {
    Outcome refused = requireRunning(job);
    if (refused != null) {
      return refused;
    }
    try {
      server.checkpoint(uri);
      return Outcome.ok("checkpointed " + uri);
    } catch (RuntimeException e) {
      return new Outcome(AdminStatus.FAILED, "checkpoint " + uri + ": " + e.getMessage());
    }
  }

  /** LEARNING_RATE: the rate (or schedule) of the running job's next steps. */
  Outcome learningRate(long job, LearningRateSchedule schedule) {
    Outcome refused = requireRunning(job);
    if (refused != null) {
      return refused;
    }
    rate.set(schedule);
    return Outcome.ok("learning rate " + schedule.className());
  }

  /** STOP: ends the job (its state is gone unless checkpointed); idempotent. */
  Outcome stop(long job) {
    if (state != NodeState.IDLE && job != jobId) {
      return new Outcome(AdminStatus.REFUSED, "this node runs job " + jobId + ", not " + job);
    }
    stopJob();
    return Outcome.ok("idle");
  }

  /** STATUS: the node's state; the job's failure, if any. */
  Outcome status() {
    String failure = server == null ? null : server.failure();
    return failure == null ? Outcome.ok(state.name().toLowerCase(java.util.Locale.ROOT))
        : new Outcome(AdminStatus.FAILED, failure);
  }

  private Outcome requireRunning(long job) {
    if (state != NodeState.RUNNING || job != jobId) {
      return new Outcome(AdminStatus.REFUSED, "job " + job + " is not running on this node"
          + describe());
    }
    return null;
  }

  private String describe() {
    return state == NodeState.IDLE ? " (idle)" : " (" + state.name().toLowerCase(
        java.util.Locale.ROOT) + ": job " + jobId + ")";
  }

  private void stopJob() {
    CloseHelper.quietClose(server);
    server = null;
    rate = null;
    clearLoading();
    state = NodeState.IDLE;
  }

  private void clearLoading() {
    pending = null;
    pendingSecret = null;
    staging = null;
    received = null;
    chunkCount = 0;
  }

  @Override
  public void close() {
    stopJob();
  }
}
