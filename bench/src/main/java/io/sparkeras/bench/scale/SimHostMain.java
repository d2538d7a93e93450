package io.sparkeras.bench.scale;

import io.aeron.driver.MediaDriver;
import io.sparkeras.ps.Compression;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.server.ShardCounter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * The JVM of one simulated host, started inside the host's network namespace: it runs one Aeron
 * media driver (as an executor or a server node does) and then, one after the other, the jobs
 * the orchestrator sends on stdin, so that a series of runs on one simulated cluster starts its
 * JVMs once.
 *
 * <pre>
 * java ... SimHostMain --shm-parent /dev/shm/spk-RUN-w0 --mtu 8192 --term-length N
 *     --socket-buffer N --receiver-window N --park-ns N
 * stdin:  server k=v ...    start a parameter-server node (answers SERVER READY)
 *         stop-server       stop it (answers SERVER STOPPED steps=N)
 *         worker k=v ...    run a simulated worker (answers RESULT {json})
 *         quit
 * </pre>
 *
 * Every idle loop of the host (its driver, the server's agents, the worker's client) parks at
 * most {@code --park-ns} ({@link SimCluster#PARK_NS}), so that dozens of idle hosts do not take
 * the machine's cores with their wake-ups.
 *
 * <p>Prints {@code HOST READY} once its driver runs, {@code ERROR message} when a command fails.
 */
public final class SimHostMain {
  private SimHostMain() {}

  public static void main(String[] args) throws Exception {
    SimSettings opts = new SimSettings();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("simulated host: unexpected argument '" + args[i] + "'");
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    int mtu = opts.integer("mtu");
    int term = opts.integer("term-length");
    int socketBuffer = opts.integer("socket-buffer");
    int window = opts.integer("receiver-window");
    long parkNs = opts.number("park-ns");
    MediaDriver driver = MediaDrivers.launch(
        MediaDrivers.newDirectoryName(opts.string("shm-parent"), "driver"), mtu, term,
        socketBuffer, window, false, parkNs);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CloseHelper.quietClose(driver)));
    String dir = driver.aeronDirectoryName();
    ParameterServer server = null;
    System.out.println("HOST READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      int space = line.indexOf(' ');
      String command = space < 0 ? line : line.substring(0, space);
      String rest = space < 0 ? "" : line.substring(space + 1);
      try {
        switch (command) {
          case "server":
            CloseHelper.quietClose(server);
            server = ParameterServer.launch(serverContext(SimSettings.parse(rest), dir)
                .idleStrategySupplier(() -> new BackoffIdleStrategy(100, 10, 1_000, parkNs)));
            System.out.println("SERVER READY");
            break;
          case "stop-server": {
            long steps = server == null ? 0 : server.counter(ShardCounter.STEPS);
            String failure = server == null ? null : server.failure();
            CloseHelper.quietClose(server);
            server = null;
            System.out.println("SERVER STOPPED steps=" + steps
                + (failure == null ? "" : " failure=" + failure.replace(' ', '_')));
            break;
          }
          case "worker":
            System.out.println("RESULT " + new SimWorker(SimSettings.parse(rest), dir, parkNs)
                .run());
            break;
          case "quit":
            CloseHelper.quietClose(server);
            CloseHelper.quietClose(driver);
            System.out.println("BYE");
            System.out.flush();
            return;
          default:
            System.out.println("ERROR unknown command '" + command + "'");
        }
      } catch (RuntimeException e) {
        System.out.println("ERROR " + (e.getMessage() == null ? e.toString() : e.getMessage())
            .replace('\n', ' '));
      }
      System.out.flush();
    }
    CloseHelper.quietClose(server);
    CloseHelper.quietClose(driver);
  }

  /** A server node of the simulated job, on this host's media driver. */
  static ParameterServerContext serverContext(SimSettings s, String aeronDir) {
    return new ParameterServerContext()
        .bind(s.string("bind"))
        .shards(s.integer("shards"))
        .nodes(s.integer("nodes"), s.integer("node"))
        .workers(s.integer("workers"))
        .parameterCount(s.integer("params"))
        .mode(TrainingMode.valueOf(s.string("mode").toUpperCase(Locale.ROOT)))
        .staleness(s.integer("staleness"))
        .compression(Compression.valueOf(s.string("compression").toUpperCase(Locale.ROOT)))
        .threshold((float) s.real("threshold"))
        .optimizer(s.string("optimizer"), Map.of("learning_rate", 1e-3))
        .jobId(s.number("job"))
        .jobSecret(HexFormat.of().parseHex(s.string("secret")))
        .syncTimeout(s.number("timeoutMs"), TimeUnit.MILLISECONDS)
        .mtuLength(s.integer("mtu"))
        .termLength(s.integer("term"))
        .socketBufferLength(s.integer("sockbuf"))
        .receiverWindowLength(s.integer("window"))
        .ipc(false)
        .launchEmbeddedDriver(false)
        .aeronDirectoryName(aeronDir);
  }
}
