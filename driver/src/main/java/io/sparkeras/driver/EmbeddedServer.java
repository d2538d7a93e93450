package io.sparkeras.driver;

import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.core.constraints.RangeConstraint;
import io.sparkeras.core.optim.FlatOptimizer;
import io.sparkeras.core.optim.schedules.LearningRateSchedule;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.worker.TrainSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parameter server of one distributed fit, embedded in the driver JVM: a random job id and
 * 32-byte secret, a free UDP port, the server's settings from {@link TrainerSettings}, the
 * model's weights (or a checkpoint) as its start, and the model's optimizer as its update.
 *
 * <p>The optimizer goes over as parsed objects ({@link ParameterServerContext#optimizer(
 * FlatOptimizer)}): the update rule, the clipping and the learning-rate schedule of the driver's
 * built optimizer. The rate is read again from the driver's optimizer at every epoch's start
 * ({@link #refreshLearningRate}), so that callbacks that change it between epochs
 * (ReduceLROnPlateau, LearningRateScheduler) reach the server.
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.launch(settings, model, 4, null)) { // or a checkpoint
 *   server.describe(spec);                 // endpoint, secret, channel of the workers' clients
 *   server.refreshLearningRate();          // at every epoch's start
 *   long version = server.readParameters(weights);
 * }
 * }</pre>
 */
final class EmbeddedServer implements TrainingServer {
  private final ParameterServer ps;
  private final Model model;
  private final TrainerSettings settings;
  private final String endpoint;
  private final long jobId;
  private final byte[] secret;
  private final int window;
  private final AtomicReference<LearningRateSchedule> rate;
  private final FloatBuffer readBack;

  private EmbeddedServer(ParameterServer ps, Model model, TrainerSettings settings,
      String endpoint, long jobId, byte[] secret, int window,
      AtomicReference<LearningRateSchedule> rate, int size) {
    this.ps = ps;
    this.model = model;
    this.settings = settings;
    this.endpoint = endpoint;
    this.jobId = jobId;
    this.secret = secret;
    this.window = window;
    this.rate = rate;
    this.readBack = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /**
   * Starts the server for {@code workers} workers of {@code model}, from the model's weights, or
   * from {@code restore} (a server checkpoint, see {@link TrainingCheckpoints}) when not null.
   */
  static EmbeddedServer launch(TrainerSettings settings, Model model, int workers,
      String restore) {
    SecureRandom random = new SecureRandom();
    long jobId = random.nextLong() & Long.MAX_VALUE;
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String host = settings.get(TrainerSettings.PS_HOST);
    int port = settings.get(TrainerSettings.PS_PORT);
    String endpoint = host + ":" + (port != 0 ? port : freeUdpPort(host));
    int termLength = settings.get(TrainerSettings.PS_TERM_LENGTH);
    int window = Math.min(ParameterServerContext.RECEIVER_WINDOW_DEFAULT, termLength / 2);
    SyncMode mode = settings.mode();
    FlatOptimizer optimizer = builtOptimizer(model);
    AtomicReference<LearningRateSchedule> rate = new AtomicReference<>(optimizer.schedule());
    ParameterServerContext ctx = new ParameterServerContext()
        .bind(endpoint).shards(settings.get(TrainerSettings.PS_SHARDS)).workers(workers)
        .mode(mode.kind()).staleness(mode.staleness())
        .optimizer(optimizer).learningRateSchedule(it -> rate.get().learningRate(it))
        .jobId(jobId).jobSecret(secret)
        .syncTimeout(3L * settings.get(TrainerSettings.PS_TIMEOUT), TimeUnit.MILLISECONDS)
        .mtuLength(settings.get(TrainerSettings.PS_MTU)).termLength(termLength)
        .socketBufferLength(ParameterServerContext.SOCKET_BUFFER_DEFAULT)
        .receiverWindowLength(window)
        .compression(settings.get(TrainerSettings.PS_COMPRESSION))
        .threshold(settings.get(TrainerSettings.PS_THRESHOLD).floatValue());
    List<RangeConstraint> constraints = model.constraintRanges();
    if (optimizer.clipping() != FlatOptimizer.Clipping.NONE || !constraints.isEmpty()) {
      // Keras clips and constrains per variable: the server needs the layout, and aligns its
      // shards to it
      ctx.variableRanges(variableRanges(model));
    }
    // weight constraints (max_norm, ...) are applied by the shards after every update
    ctx.constraints(constraints);
    float[] flat = model.getFlatWeights();
    if (restore != null) {
      ctx.restoreFrom(restore);
    } else {
      FloatBuffer init = ByteBuffer.allocateDirect(flat.length * Float.BYTES)
          .order(ByteOrder.nativeOrder()).asFloatBuffer();
      init.put(flat).flip();
      ctx.initialParameters(init);
    }
    return new EmbeddedServer(ParameterServer.launch(ctx), model, settings, endpoint, jobId,
        secret, window, rate, flat.length);
  }

  /** The driver's optimizer as the engine-free one the server runs (built when not yet). */
  static FlatOptimizer builtOptimizer(Model model) {
    Optimizer opt = model.getOptimizer();
    if (!opt.isBuilt()) {
      opt.build(model.parameterBlock().size(), model.trainableRanges());
    }
    return opt.flatOptimizer();
  }

  /** One {@code [from, to)} pair per weight variable, in flat-vector order. */
  static int[] variableRanges(Model model) {
    List<Variable> vars = model.weights();
    int[] pairs = new int[2 * vars.size()];
    int off = 0;
    for (int i = 0; i < vars.size(); i++) {
      pairs[2 * i] = off;
      off += vars.get(i).size();
      pairs[2 * i + 1] = off;
    }
    return pairs;
  }

  private static int freeUdpPort(String host) {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free UDP port on " + host + " for the parameter server ("
          + TrainerSettings.PS_HOST.key() + "): " + e.getMessage(), e);
    }
  }

  /**
   * Fills in how the workers reach this server: endpoint, job id and secret, channel settings,
   * timeout, and, for tasks on this host, the server's media driver (with {@code ipc}, its
   * shared-memory channel: no sockets, no second driver's threads on the same cores).
   */
  @Override
  public TrainSpec describe(TrainSpec spec) {
    return spec.psEndpoint(endpoint).jobId(jobId).secret(secret)
        .channel(settings.get(TrainerSettings.PS_MTU), settings.get(TrainerSettings.PS_TERM_LENGTH),
            ParameterServerContext.SOCKET_BUFFER_DEFAULT, window)
        .clientTimeoutMs(settings.get(TrainerSettings.PS_TIMEOUT))
        .aeronDirectory(ps.context().aeronDirectoryName())
        .ipc(settings.get(TrainerSettings.PS_IPC));
  }

  /** Takes the driver optimizer's current learning rate (or schedule) for the next steps. */
  @Override
  public void refreshLearningRate() {
    rate.set(builtOptimizer(model).schedule());
  }

  /** Copies the server's parameters into {@code out}; returns the lowest shard version. */
  @Override
  public long readParameters(float[] out) {
    readBack.clear();
    long version = ps.readParameters(readBack);
    readBack.get(0, out);
    return version;
  }

  /** Writes the server's state (parameters, optimizer state, versions) to a Hadoop path. */
  @Override
  public void checkpoint(String path) {
    ps.checkpoint(path);
  }

  @Override
  public long stepsApplied() {
    return ps.stepsApplied();
  }

  @Override
  public double[] trainingLoss() {
    return ps.trainingLoss();
  }

  @Override
  public String failure() {
    return ps.failure();
  }

  @Override
  public void close() {
    ps.close();
  }
}
