package io.sparkeras.driver;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.core.constraints.RangeConstraint;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.ParameterServerException;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.codecs.AdminStatus;
import io.sparkeras.ps.node.JobSpec;
import io.sparkeras.ps.node.NodeAdminClient;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.worker.TrainSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;

/**
 * The parameter server of one distributed fit on nodes of their own ({@code bin/sparkeras ps}
 * processes listed in {@link TrainerSettings#PS_NODES}): the driver opens an admin session with
 * each (proving the admin secret of {@link TrainerSettings#PS_SECRET_FILE}), initialises it for
 * a fresh job (random id and 32-byte secret, the settings the embedded server would get, node k
 * of K, the model's weights or node k's part of a checkpoint), and then reads the progress
 * (steps applied, training loss, failures) with status requests, the weights with a pull over
 * the job's own protocol, passes the learning rate on at every epoch's start and has every node
 * checkpoint its shards. Closing stops the job on every node; the nodes wait for the next one.
 *
 * <pre>{@code
 * // spark.sparkeras.ps.nodes=10.0.0.5:40123,10.0.0.6:40123
 * // spark.sparkeras.ps.secretFile=/etc/sparkeras/ps.secret
 * try (TrainingServer server = TrainingServer.launch(settings, model, 4, null)) { ... }
 * }</pre>
 */
final class ServerNodes implements TrainingServer {
  /** Test seam: the step every node was restored to by the last recovery (-1: none yet). */
  static volatile long lastRecovery = -1;

  private final List<String> nodes;
  private final List<NodeAdminClient> admins;
  private final JobSpec spec;
  private final byte[] adminSecret;
  /** Where the shards write their step checkpoints (null: no recovery of a lost node). */
  private final String stepDir;
  private final Model model;
  private final TrainerSettings settings;
  private final MediaDriver driver;
  private final Aeron aeron;
  private final long jobId;
  private final byte[] secret;
  private final int window;
  private final FloatBuffer readBack;
  private long lastSteps;
  private double[] lastLoss = {0, 0};
  /** Steps applied before the last recovery (the nodes count from their relaunch). */
  private long stepsBefore;
  private long startVersion = -1;
  private String lostNode;
  private boolean recoveryFailed;

  private ServerNodes(List<String> nodes, List<NodeAdminClient> admins, JobSpec spec,
      byte[] adminSecret, String stepDir, Model model, TrainerSettings settings,
      MediaDriver driver, Aeron aeron, long jobId, byte[] secret, int window, int size) {
    this.nodes = nodes;
    this.admins = admins;
    this.spec = spec;
    this.adminSecret = adminSecret;
    this.stepDir = stepDir;
    this.model = model;
    this.settings = settings;
    this.driver = driver;
    this.aeron = aeron;
    this.jobId = jobId;
    this.secret = secret;
    this.window = window;
    this.readBack = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /** Initialises the nodes for {@code workers} workers of {@code model} (or from {@code restore}). */
  static ServerNodes launch(TrainerSettings settings, Model model, int workers, String restore) {
    List<String> nodes = settings.get(TrainerSettings.PS_NODES);
    byte[] adminSecret = adminSecret(settings);
    SecureRandom random = new SecureRandom();
    long jobId = random.nextLong() & Long.MAX_VALUE;
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    int termLength = settings.get(TrainerSettings.PS_TERM_LENGTH);
    int window = Math.min(ParameterServerContext.RECEIVER_WINDOW_DEFAULT, termLength / 2);
    int mtu = settings.get(TrainerSettings.PS_MTU);
    MediaDriver driver = MediaDrivers.launch(MediaDrivers.newDirectoryName(null,
        "sparkeras-driver"), mtu, termLength, ParameterServerContext.SOCKET_BUFFER_DEFAULT,
        window, false);
    Aeron aeron = null;
    List<NodeAdminClient> admins = new ArrayList<>();
    try {
      aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
      JobSpec spec = jobSpec(settings, model, workers, nodes.size(), termLength, window);
      String stepDir = null;
      if (settings.get(TrainerSettings.PS_STEP_CHECKPOINTS)) {
        stepDir = settings.get(TrainerSettings.CHECKPOINT_DIR) + "/ps-steps";
        clear(stepDir); // a previous fit's steps are not this one's
        spec.stepCheckpoints(stepDir);
      }
      float[] flat = model.getFlatWeights();
      FloatBuffer weights = FloatBuffer.wrap(flat);
      for (int k = 0; k < nodes.size(); k++) {
        NodeAdminClient admin = connect(aeron, settings, nodes.get(k), adminSecret);
        admins.add(admin);
        spec.nodes(nodes.size(), k).restoreFrom(restore == null ? null : nodePath(restore, k));
        admin.init(jobId, spec, secret, restore == null ? weights : null, false);
      }
      return new ServerNodes(nodes, admins, spec, adminSecret, stepDir, model, settings, driver,
          aeron, jobId, secret, window, flat.length);
    } catch (RuntimeException e) {
      for (NodeAdminClient a : admins) {
        stopQuietly(a, jobId);
      }
      CloseHelper.quietClose(aeron);
      CloseHelper.quietClose(driver);
      Arrays.fill(adminSecret, (byte) 0);
      throw e;
    }
  }

  private static NodeAdminClient connect(Aeron aeron, TrainerSettings settings, String node,
      byte[] adminSecret) {
    // a job's start or a checkpoint may take long on a loaded node: the client timeout, but at
    // least a minute; status polls wait the client timeout only (statusTimeout)
    return NodeAdminClient.connect(aeron, node, adminSecret,
        settings.get(TrainerSettings.PS_HOST), ParameterServerContext.SOCKET_BUFFER_DEFAULT,
        Math.max(60_000, settings.get(TrainerSettings.PS_TIMEOUT)));
  }

  private static void clear(String dir) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(java.net.URI.create(dir));
      p.getFileSystem(new org.apache.hadoop.conf.Configuration()).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("step checkpoints " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The job's settings, as {@link EmbeddedServer} gives them to its server. */
  private static JobSpec jobSpec(TrainerSettings settings, Model model, int workers, int nodes,
      int termLength, int window) {
    SyncMode mode = settings.mode();
    Optimizer opt = model.getOptimizer();
    FlatOptimizer optimizer = EmbeddedServer.builtOptimizer(model);
    List<RangeConstraint> constraints = model.constraintRanges();
    JobSpec spec = new JobSpec().parameterCount(model.parameterBlock().size())
        .shards(Math.max(nodes, settings.get(TrainerSettings.PS_SHARDS))).workers(workers)
        .mode(mode.kind(), mode.staleness())
        .syncTimeoutMs(3L * settings.get(TrainerSettings.PS_TIMEOUT))
        .channel(settings.get(TrainerSettings.PS_MTU), termLength,
            ParameterServerContext.SOCKET_BUFFER_DEFAULT, window)
        .optimizer(opt.ruleName(), opt.getConfig())
        .constraints(constraints)
        .compression(settings.get(TrainerSettings.PS_COMPRESSION),
            settings.get(TrainerSettings.PS_THRESHOLD).floatValue());
    if (optimizer.clipping() != FlatOptimizer.Clipping.NONE || !constraints.isEmpty()) {
      spec.variableRanges(EmbeddedServer.variableRanges(model));
    }
    return spec;
  }

  private static byte[] adminSecret(TrainerSettings settings) {
    String file = settings.get(TrainerSettings.PS_SECRET_FILE);
    try {
      byte[] b = Files.readAllBytes(Paths.get(file));
      int n = b.length;
      while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
        n--;
      }
      return Arrays.copyOf(b, n);
    } catch (IOException e) {
      throw new UncheckedIOException(TrainerSettings.PS_SECRET_FILE.key() + ": cannot read "
          + file + ": " + e.getMessage(), e);
    }
  }

  /** Node {@code k}'s part of a server checkpoint written at {@code path}. */
  static String nodePath(String path, int k) {
    return path + ".node" + k;
  }

  @Override
  public TrainSpec describe(TrainSpec spec) {
    return spec.psEndpoint(String.join(",", nodes)).jobId(jobId).secret(secret)
        .channel(settings.get(TrainerSettings.PS_MTU), settings.get(TrainerSettings.PS_TERM_LENGTH),
            ParameterServerContext.SOCKET_BUFFER_DEFAULT, window)
        .clientTimeoutMs(settings.get(TrainerSettings.PS_TIMEOUT))
        // tasks in this JVM (local mode) use this media driver; no shared-memory channel
        .aeronDirectory(driver.aeronDirectoryName()).ipc(false);
  }

  @Override
  public synchronized void refreshLearningRate() {
    var schedule = EmbeddedServer.builtOptimizer(model).schedule();
    recovering(() -> {
      for (NodeAdminClient a : admins) {
        a.learningRate(jobId, schedule);
      }
      return null;
    });
  }

  /** Pulls the whole vector over the job's protocol (partition 0's view; between epochs). */
  @Override
  public synchronized long readParameters(float[] out) {
    long version = recovering(() -> pull(out));
    if (startVersion < 0) {
      startVersion = version;
    }
    return version;
  }

  private long pull(float[] out) {
    readBack.clear();
    long version;
    try (ParameterServerClient client = ParameterServerClient.connect(
        new ParameterServerClient.Context().servers(nodes.toArray(new String[0]))
            .jobId(jobId).secret(secret).partition(0)
            .replyHost(settings.get(TrainerSettings.PS_HOST))
            .mtuLength(settings.get(TrainerSettings.PS_MTU))
            .termLength(settings.get(TrainerSettings.PS_TERM_LENGTH))
            .socketBufferLength(ParameterServerContext.SOCKET_BUFFER_DEFAULT)
            .receiverWindowLength(window).ipc(false).launchEmbeddedDriver(false)
            .aeronDirectoryName(driver.aeronDirectoryName())
            .timeout(settings.get(TrainerSettings.PS_TIMEOUT), TimeUnit.MILLISECONDS))) {
      version = client.pull(0, readBack);
    }
    readBack.get(0, out);
    return version;
  }

  @Override
  public synchronized void checkpoint(String path) {
    recovering(() -> {
      for (int k = 0; k < admins.size(); k++) {
        admins.get(k).checkpoint(jobId, nodePath(path, k));
      }
      return null;
    });
  }

  /**
   * Polls every node (the live progress calls this every 100 ms): node 0's steps and loss, and
   * whether every node still runs the job. A lost node is recovered here when step checkpoints
   * are on; otherwise the last values are kept and {@link #failure()} says what happened.
   */
  @Override
  public synchronized long stepsApplied() {
    try {
      NodeAdminClient.Reply first = null;
      for (int k = 0; k < admins.size(); k++) {
        NodeAdminClient.Reply r = admins.get(k).status(jobId, statusTimeout());
        if (r.status() != AdminStatus.OK || r.jobId() != jobId) {
          throw new ParameterServerException("parameter-server node " + nodes.get(k) + ": "
              + (r.jobId() != jobId ? "no longer runs the job (" + r.message() + ")"
                  : r.message()));
        }
        first = k == 0 ? r : first;
      }
      lastSteps = stepsBefore + first.stepsApplied();
      lastLoss = new double[] {first.lossSum(), first.lossSamples()};
      lostNode = null;
    } catch (ParameterServerException e) {
      lostNode = e.getMessage();
      if (stepDir != null && !recoveryFailed) {
        try {
          recover(e.getMessage());
        } catch (RuntimeException unrecoverable) {
          // the epoch's tasks fail on their own; the fit's error carries this message
          recoveryFailed = true;
          lostNode = unrecoverable.getMessage();
        }
      }
    }
    return lastSteps;
  }

  /** The loss of node 0's last status ({@link #stepsApplied()} polls it just before). */
  @Override
  public synchronized double[] trainingLoss() {
    return lastLoss.clone();
  }

  /** What is wrong with a node (a failed job, a node that does not answer), else null. */
  @Override
  public synchronized String failure() {
    stepsApplied();
    return lostNode;
  }

  private long statusTimeout() {
    return settings.get(TrainerSettings.PS_TIMEOUT);
  }

  /** Runs {@code action}; if a node is lost meanwhile and can be recovered, once more after. */
  private <R> R recovering(java.util.function.Supplier<R> action) {
    try {
      return action.get();
    } catch (ParameterServerException e) {
      if (stepDir == null) {
        throw e;
      }
      recover(e.getMessage());
      return action.get();
    }
  }

  /**
   * A node was lost: waits (up to 3 client timeouts, at least a minute) until every node answers again (a lost one
   * restarted on its address), stops the job everywhere so that no worker trains on a mix of
   * states, and restores every node from the newest step that all shards wrote (at most one
   * step behind the most advanced shard). The epoch's tasks fail meanwhile; Spark retries the
   * barrier stage, and its tasks replay the epoch from its start: the steps the nodes already
   * hold are acknowledged as duplicates, never applied twice.
   */
  private void recover(String why) {
    System.err.println("sparkeras: " + why + "; waiting for the node to come back");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
        Math.max(60_000, 3L * settings.get(TrainerSettings.PS_TIMEOUT)));
    for (int k = 0; k < admins.size(); k++) {
      while (true) {
        try {
          NodeAdminClient.Reply r = admins.get(k).status(jobId, statusTimeout());
          if (r.jobId() == jobId && r.state() != io.sparkeras.ps.codecs.NodeState.IDLE) {
            admins.get(k).stop(jobId);
          }
          break;
        } catch (ParameterServerException e) {
          // its session is gone with it: open a new one once the node listens again
          CloseHelper.quietClose(admins.get(k));
          if (System.nanoTime() > deadline) {
            throw new ParameterServerException("parameter-server node " + nodes.get(k)
                + " did not come back: " + why, e);
          }
          try {
            admins.set(k, connect(aeron, settings, nodes.get(k), adminSecret));
          } catch (ParameterServerException notYet) {
            // not listening yet: try again until the deadline
          }
        }
      }
    }
    long version;
    try {
      version = io.sparkeras.ps.server.StepCheckpoints.latestCommon(stepDir, spec.shards(),
          new org.apache.hadoop.conf.Configuration());
    } catch (IOException e) {
      throw new UncheckedIOException("step checkpoints " + stepDir + ": " + e.getMessage(), e);
    }
    if (version < 0) {
      throw new ParameterServerException("no step checkpoint under " + stepDir + " to restore "
          + "the nodes from: " + why);
    }
    for (int k = 0; k < admins.size(); k++) {
      int first = io.sparkeras.ps.protocol.Protocol.firstShardOfNode(spec.shards(), nodes.size(), k);
      int next = io.sparkeras.ps.protocol.Protocol.firstShardOfNode(spec.shards(), nodes.size(),
          k + 1);
      spec.nodes(nodes.size(), k).restoreFrom(io.sparkeras.ps.server.StepCheckpoints.files(
          stepDir, first, next - first, version));
      admins.get(k).init(jobId, spec, secret, null, true);
    }
    stepsBefore = Math.max(0, version - Math.max(0, startVersion));
    lastRecovery = version;
    lostNode = null;
    System.err.println("sparkeras: every parameter-server node restored to step " + version);
  }

  private static void stopQuietly(NodeAdminClient admin, long jobId) {
    try {
      admin.stop(jobId);
    } catch (RuntimeException e) {
      System.err.println("sparkeras: " + e.getMessage());
    }
    CloseHelper.quietClose(admin);
  }

  /** Stops the job on every node (they wait for the next one) and closes the sessions. */
  @Override
  public synchronized void close() {
    for (NodeAdminClient a : admins) {
      stopQuietly(a, jobId);
    }
    Arrays.fill(adminSecret, (byte) 0);
    CloseHelper.quietClose(aeron);
    CloseHelper.quietClose(driver);
  }
}
