package io.sparkeras.ps.node;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.protocol.AdminAuth;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.protocol.Protocol;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * A parameter-server node that a driver initialises over the protocol: a process (usually
 * {@code bin/sparkeras ps --bind HOST:PORT --secret-file FILE} on a host of its own) that owns a
 * media driver and listens for admin requests on its bind address, stream
 * {@link #ADMIN_STREAM_ID}. A driver holding the node's admin secret opens an admin session
 * ({@link NodeAdminClient}) and sends the job: its settings
 * ({@link JobSpec}), its job secret (sealed) and its initial weights in chunks, or a checkpoint
 * to restore. The node then runs its shards of that job on the same address, for workers that
 * prove the job secret, answers status requests (steps applied, training loss, failure),
 * checkpoints on request and stops the job when told; then it waits for the next job. A job in
 * progress is only replaced by an INIT that asks for a reset.
 *
 * <pre>{@code
 * try (ServerNode node = ServerNode.launch(new ServerNode.Context()
 *     .bind("10.0.0.5:40123").adminSecret(Files.readAllBytes(secretFile)))) {
 *   node.awaitClose();          // until SIGTERM
 * }
 * }</pre>
 */
public final class ServerNode implements AutoCloseable {
  /** Stream of the admin requests on a node's bind address (the shards use 1001 + i). */
  public static final int ADMIN_STREAM_ID = ParameterServerContext.STREAM_ID_BASE_DEFAULT - 1;
  /** Floats per INIT_PARAMS chunk (32 KiB of float32). */
  public static final int INIT_CHUNK_FLOATS = 8192;

  /** The node's own settings: where it listens, its admin secret, its transport. */
  public static final class Context {
    private String bind;
    private byte[] adminSecret;
    private int mtuLength = ParameterServerContext.MTU_LENGTH_DEFAULT;
    private int termLength = ParameterServerContext.TERM_LENGTH_DEFAULT;
    private int socketBufferLength = ParameterServerContext.SOCKET_BUFFER_DEFAULT;
    private int receiverWindowLength = ParameterServerContext.RECEIVER_WINDOW_DEFAULT;
    private String driverDirectoryParent;
    private boolean dedicatedDriverThreads;

    /** {@code host:port} the admin stream and the jobs' shards listen on. */
    public Context bind(String v) { bind = v; return this; }
    public String bind() { return bind; }
    /** The admin secret (>= 16 bytes) a driver must prove to initialise or reset the node. */
    public Context adminSecret(byte[] v) { adminSecret = v.clone(); return this; }
    public Context mtuLength(int v) { mtuLength = v; return this; }
    public int mtuLength() { return mtuLength; }
    public Context termLength(int v) { termLength = v; return this; }
    public int termLength() { return termLength; }
    /** SO_RCVBUF of the bind address's socket; a job must ask for the same. */
    public Context socketBufferLength(int v) { socketBufferLength = v; return this; }
    public int socketBufferLength() { return socketBufferLength; }
    public Context receiverWindowLength(int v) { receiverWindowLength = v; return this; }
    public int receiverWindowLength() { return receiverWindowLength; }
    public Context driverDirectoryParent(String v) { driverDirectoryParent = v; return this; }
    public Context dedicatedDriverThreads(boolean v) { dedicatedDriverThreads = v; return this; }

    void conclude() {
      if (!Protocol.isValidEndpoint(bind)) {
        throw new IllegalArgumentException("bind: expected host:port, found '" + bind + "'");
      }
      if (adminSecret == null || adminSecret.length < AdminAuth.MIN_SECRET_LENGTH) {
        throw new IllegalArgumentException("adminSecret: at least " + AdminAuth.MIN_SECRET_LENGTH
            + " bytes required");
      }
      ParameterServerContext.validateTransport(mtuLength, termLength, socketBufferLength,
          receiverWindowLength);
    }
  }

  private final MediaDriver driver;
  private final Aeron aeron;
  private final NodeJobs jobs;
  private final NodeAdminAgent agent;
  private final AgentRunner runner;
  private final String bind;

  private ServerNode(Context ctx) {
    ctx.conclude();
    String dir = MediaDrivers.newDirectoryName(ctx.driverDirectoryParent, "sparkeras-ps-node");
    MediaDriver launched = null;
    Aeron connected = null;
    try {
      launched = MediaDrivers.launch(dir, ctx.mtuLength, ctx.termLength, ctx.socketBufferLength,
          ctx.receiverWindowLength, ctx.dedicatedDriverThreads);
      connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
      jobs = new NodeJobs(ctx.bind, dir, ctx.socketBufferLength);
      agent = new NodeAdminAgent(connected, ctx, ctx.adminSecret, jobs);
      runner = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 1_000_000),
          t -> System.err.println("sparkeras-ps node: admin error: " + t), null, agent);
      AgentRunner.startOnThread(runner);
    } catch (RuntimeException e) {
      CloseHelper.quietClose(connected);
      CloseHelper.quietClose(launched);
      throw e;
    }
    this.driver = launched;
    this.aeron = connected;
    this.bind = ctx.bind;
  }

  /** Starts the node: its media driver and admin endpoint; no job yet. */
  public static ServerNode launch(Context ctx) {
    return new ServerNode(ctx);
  }

  /** The address the node listens on. */
  public String bind() {
    return bind;
  }

  /** Admin messages dropped so far (malformed, unauthenticated, replayed). */
  public long droppedAdminMessages() {
    return agent.dropped();
  }

  /** Stops the admin endpoint, the running job (if any) and the media driver. */
  @Override
  public void close() {
    CloseHelper.quietClose(runner);
    jobs.close(); // the agent's thread has ended: the jobs are this thread's now
    CloseHelper.quietClose(aeron);
    CloseHelper.quietClose(driver);
  }
}
