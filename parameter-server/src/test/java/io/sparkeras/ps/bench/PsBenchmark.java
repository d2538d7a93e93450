package io.sparkeras.ps.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.sparkeras.ps.Compression;
import io.sparkeras.ps.ParameterServer;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.TrainingMode;
import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.protocol.MediaDrivers;
import io.sparkeras.ps.protocol.Protocol;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Parameter-server benchmark (a main, not a test): raw Aeron UDP throughput at the same MTU,
 * term and socket-buffer settings versus our sync push+pull, for 1M / 10M / 100M floats and
 * 1 / 2 / 4 clients, then sync step latency at 1M floats. Ends with one JSON line.
 *
 * <p>Flags: {@code --sizes 1000000,10000000,100000000 --clients 1,2,4 --steps 3
 * --latency-steps 200 --shards 2 --repeat 3 --max-clients-100m N --raw-only}. Transport settings come from the
 * {@code sparkeras.ps.*} system properties (defaults: {@link ParameterServerContext}).
 */
public final class PsBenchmark {
  static final byte[] SECRET = "benchmark-secret-0123456789abcdef".getBytes();
  static final int MTU = Integer.getInteger(ParameterServerContext.MTU_LENGTH_PROP_NAME,
      ParameterServerContext.MTU_LENGTH_DEFAULT);
  static final int TERM = Integer.getInteger(ParameterServerContext.TERM_LENGTH_PROP_NAME,
      ParameterServerContext.TERM_LENGTH_DEFAULT);
  static final int SOCKBUF = Integer.getInteger(ParameterServerContext.SOCKET_BUFFER_PROP_NAME,
      ParameterServerContext.SOCKET_BUFFER_DEFAULT);
  static final int WINDOW = Integer.getInteger(ParameterServerContext.RECEIVER_WINDOW_PROP_NAME,
      ParameterServerContext.RECEIVER_WINDOW_DEFAULT);
  static final boolean DEDICATED = Boolean.getBoolean("sparkeras.ps.bench.dedicated");

  private PsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = {1_000_000, 10_000_000, 100_000_000};
    int[] clients = {1, 2, 4};
    int steps = 3;
    int latencySteps = 200;
    int shards = 2;
    boolean rawOnly = false;
    int repeat = 3;
    int maxClientsAt100M = Integer.MAX_VALUE;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes": {
          String v = args[++i];
          sizes = v.equals("none") ? new int[0] : ints(v); // "none": latency only
          break;
        }
        case "--clients": clients = ints(args[++i]); break;
        case "--steps": steps = Integer.parseInt(args[++i]); break;
        case "--latency-steps": latencySteps = Integer.parseInt(args[++i]); break;
        case "--shards": shards = Integer.parseInt(args[++i]); break;
        case "--raw-only": rawOnly = true; break;
        case "--repeat": repeat = Integer.parseInt(args[++i]); break;
        case "--max-clients-100m": maxClientsAt100M = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    File parent = new File(new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
    System.out.printf(Locale.ROOT, "settings: mtu=%d term=%d so-buf=%d rcv-wnd=%d chunkFloats=%d shards=%d driver=%s%n",
        MTU, TERM, SOCKBUF, WINDOW, Protocol.chunkFloats(MTU), shards, DEDICATED ? "dedicated" : "shared");
    StringBuilder results = new StringBuilder();
    double ratio = Double.NaN;
    for (int size : sizes) {
      for (int c : clients) {
        if (size >= 100_000_000 && c > maxClientsAt100M) {
          System.out.printf(Locale.ROOT, "floats=%,d clients=%d  skipped (--max-clients-100m)%n", size, c);
          continue;
        }
        long bytesPerClient = (long) size * Float.BYTES;
        // Enough repetitions that JIT warm-up and first-touch page faults do not dominate.
        int measured = Math.max(steps, Math.min(10, 10_000_000 / size));
        int warmup = Math.max(1, Math.min(5, 50_000_000 / size));
        // The headline pair (10M floats, 2 clients) is measured `repeat` times, raw and ours
        // alternating, best of each: the shared 2-core box's load from other builds varies.
        int times = size == 10_000_000 && c == 2 ? repeat : 1;
        long rowStart = System.nanoTime();
        double raw = 0;
        double ours = rawOnly ? Double.NaN : 0;
        for (int k = 0; k < times; k++) {
          raw = Math.max(raw, rawThroughput(parent, bytesPerClient, c, warmup, measured));
          if (!rawOnly) {
            ours = Math.max(ours, psThroughput(parent, size, c, shards, warmup, measured));
          }
        }
        double r = ours / raw;
        System.out.printf(Locale.ROOT, "floats=%,d clients=%d  raw aeron %.3f GB/s  ps push+pull %.3f GB/s  ratio %.2f  (%.0f s)%n",
            size, c, raw / 1e9, ours / 1e9, r, (System.nanoTime() - rowStart) / 1e9);
        results.append(results.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
            "{\"floats\":%d,\"clients\":%d,\"raw_gbps\":%.4f,\"ps_gbps\":%.4f,\"ratio\":%.3f}",
            size, c, raw / 1e9, ours / 1e9, r));
        if (size == 10_000_000 && c == 2) {
          ratio = r;
        }
        System.gc();
      }
    }
    double[] lat1 = rawOnly ? new double[] {Double.NaN, Double.NaN} : syncLatency(parent, 1_000_000, 1, shards, latencySteps);
    double[] lat2 = rawOnly ? new double[] {Double.NaN, Double.NaN} : syncLatency(parent, 1_000_000, 2, shards, latencySteps);
    double[] latBf16 = rawOnly ? new double[] {Double.NaN, Double.NaN}
        : syncLatency(parent, 1_000_000, 1, shards, latencySteps, Compression.BF16);
    System.out.printf(Locale.ROOT, "sync step 1M floats, 1 client: p50 %.2f ms p99 %.2f ms; 2 clients: p50 %.2f ms p99 %.2f ms; 1 client bf16: p50 %.2f ms p99 %.2f ms%n",
        lat1[0], lat1[1], lat2[0], lat2[1], latBf16[0], latBf16[1]);
    System.out.printf(Locale.ROOT,
        "{\"ratio_vs_raw_aeron\":%.3f,\"sync_step_p50_ms\":%.3f,\"sync_step_p99_ms\":%.3f,"
            + "\"sync_step_2clients_p50_ms\":%.3f,\"sync_step_2clients_p99_ms\":%.3f,"
            + "\"sync_step_bf16_p50_ms\":%.3f,\"sync_step_bf16_p99_ms\":%.3f,"
            + "\"mtu\":%d,\"term_length\":%d,\"socket_buffer\":%d,\"receiver_window\":%d,\"shards\":%d,"
            + "\"results\":[%s]}%n",
        ratio, lat1[0], lat1[1], lat2[0], lat2[1], latBf16[0], latBf16[1], MTU, TERM, SOCKBUF, WINDOW, shards, results);
  }

  static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  static int freePort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static MediaDriver driver(File parent, String name) {
    return MediaDrivers.launch(MediaDrivers.newDirectoryName(parent.getAbsolutePath(), name),
        MTU, TERM, SOCKBUF, WINDOW, DEDICATED);
  }

  static String channel(int port) {
    return Protocol.udpChannel("127.0.0.1:" + port, MTU, TERM, SOCKBUF, WINDOW);
  }

  /**
   * Plain publications/subscriptions, same settings and message size as our chunks: each client
   * sends {@code bytes} to the server side, then the server side sends {@code bytes} back to each
   * client. Returns bytes moved per second, both directions counted.
   */
  static double rawThroughput(File parent, long bytes, int clients, int warmup, int rounds) throws Exception {
    int msg = Protocol.CHUNK_OVERHEAD + Protocol.chunkFloats(MTU) * Float.BYTES;
    long messages = (bytes + msg - 1) / msg;
    MediaDriver serverDriver = driver(parent, "bench-raw-server");
    MediaDriver clientDriver = driver(parent, "bench-raw-client");
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    try (Aeron server = Aeron.connect(new Aeron.Context().aeronDirectoryName(serverDriver.aeronDirectoryName()));
         Aeron client = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()))) {
      int serverPort = freePort();
      ExclusivePublication[] up = new ExclusivePublication[clients];
      Subscription[] upSubs = new Subscription[clients];
      ExclusivePublication[] down = new ExclusivePublication[clients];
      Subscription[] downSubs = new Subscription[clients];
      // Same rule as the shards: the server-side images share one socket's receive buffer.
      String upChannel = Protocol.udpChannel("127.0.0.1:" + serverPort, MTU, TERM, SOCKBUF,
          Protocol.sharedWindow(WINDOW, SOCKBUF, MTU, clients));
      for (int c = 0; c < clients; c++) {
        upSubs[c] = server.addSubscription(upChannel, 5000 + c);
        up[c] = client.addExclusivePublication(channel(serverPort), 5000 + c);
        int port = freePort();
        downSubs[c] = client.addSubscription(channel(port), 6000);
        down[c] = server.addExclusivePublication(channel(port), 6000);
      }
      for (int c = 0; c < clients; c++) {
        while (!up[c].isConnected() || !down[c].isConnected()) {
          Thread.onSpinWait();
        }
      }
      UnsafeBuffer src = new UnsafeBuffer(ByteBuffer.allocateDirect(msg));
      long total = 0;
      long start = 0;
      for (int round = 1 - warmup; round <= rounds; round++) { // rounds < 1 are warm-up
        if (round == 1) {
          start = System.nanoTime();
        }
        // up: clients -> server
        AtomicLong received = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          ExclusivePublication p = up[c];
          fs.add(pool.submit(() -> send(p, src, msg, messages)));
        }
        fs.add(pool.submit(() -> {
          FragmentHandler h = (b, o, l, hd) -> received.addAndGet(l);
          long want = messages * msg * clients;
          IdleStrategy idle = idle();
          while (received.get() < want) {
            int n = 0;
            for (Subscription s : upSubs) {
              n += s.poll(h, 64);
            }
            idle.idle(n);
          }
        }));
        for (Future<?> f : fs) {
          f.get();
        }
        // down: server -> clients
        fs.clear();
        for (int c = 0; c < clients; c++) {
          Subscription s = downSubs[c];
          fs.add(pool.submit(() -> {
            long[] got = {0};
            FragmentHandler h = (b, o, l, hd) -> got[0] += l;
            IdleStrategy idle = idle();
            while (got[0] < messages * msg) {
              idle.idle(s.poll(h, 64));
            }
          }));
        }
        fs.add(pool.submit(() -> {
          IdleStrategy idle = idle();
          for (long m = 0; m < messages; m++) {
            for (ExclusivePublication p : down) {
              while (p.offer(src, 0, msg) < 0) {
                idle.idle();
              }
              idle.reset();
            }
          }
        }));
        for (Future<?> f : fs) {
          f.get();
        }
        if (round >= 1) {
          total += 2L * messages * msg * clients;
        }
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
      CloseHelper.quietClose(clientDriver);
      CloseHelper.quietClose(serverDriver);
    }
  }

  static void send(ExclusivePublication p, UnsafeBuffer src, int msg, long messages) {
    IdleStrategy idle = idle();
    for (long m = 0; m < messages; m++) {
      while (p.offer(src, 0, msg) < 0) {
        idle.idle();
      }
      idle.reset();
    }
  }

  /** The same idle strategy the parameter-server client and shards use. */
  static IdleStrategy idle() {
    return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
  }

  static ParameterServer launchServer(File parent, int port, int size, int workers, int shards) {
    return launchServer(parent, port, size, workers, shards, Compression.NONE);
  }

  static ParameterServer launchServer(File parent, int port, int size, int workers, int shards,
      Compression compression) {
    return ParameterServer.launch(new ParameterServerContext().compression(compression)
        .bind("127.0.0.1:" + port).shards(shards).workers(workers).parameterCount(size)
        .mode(TrainingMode.SYNC).optimizer("adam", Map.of("learning_rate", 1e-3)).jobId(1)
        .jobSecret(SECRET).mtuLength(MTU).termLength(TERM).socketBufferLength(SOCKBUF)
        .receiverWindowLength(WINDOW).dedicatedDriverThreads(DEDICATED)
        .driverDirectoryParent(parent.getAbsolutePath()));
  }

  static ParameterServerClient.Context clientCtx(String aeronDir, int port, int partition) {
    return new ParameterServerClient.Context().server("127.0.0.1:" + port).jobId(1).secret(SECRET)
        .partition(partition).mtuLength(MTU).termLength(TERM).socketBufferLength(SOCKBUF)
        .receiverWindowLength(WINDOW).launchEmbeddedDriver(false).aeronDirectoryName(aeronDir)
        .timeout(5, TimeUnit.MINUTES);
  }

  static FloatBuffer floats(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  /** Sync steps of {@code clients} workers, each pushing and pulling {@code size} floats. Bytes/s. */
  static double psThroughput(File parent, int size, int clients, int shards, int warmup, int steps)
      throws Exception {
    int port = freePort();
    MediaDriver clientDriver = driver(parent, "bench-ps-client");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CyclicBarrier barrier = new CyclicBarrier(clients);
    try (ParameterServer server = launchServer(parent, port, size, clients, shards)) {
      List<Future<long[]>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int partition = c;
        fs.add(pool.submit(() -> {
          try (ParameterServerClient client = ParameterServerClient.connect(
              clientCtx(clientDriver.aeronDirectoryName(), port, partition))) {
            FloatBuffer params = floats(size);
            FloatBuffer grads = floats(size);
            for (int i = 0; i < size; i++) {
              grads.put(i, 1e-3f * ((i % 7) - 3));
            }
            client.pull(0, params);
            for (int step = 0; step < warmup; step++) {
              client.pushGradient(0, step, grads);
              client.pull(step + 1, params);
            }
            barrier.await();
            long start = System.nanoTime();
            for (int step = warmup; step < warmup + steps; step++) {
              client.pushGradient(0, step, grads);
              client.pull(step + 1, params);
            }
            return new long[] {start, System.nanoTime()};
          }
        }));
      }
      long start = Long.MAX_VALUE;
      long end = 0;
      for (Future<long[]> f : fs) {
        long[] t = f.get();
        start = Math.min(start, t[0]);
        end = Math.max(end, t[1]);
      }
      return 2.0 * clients * size * Float.BYTES * steps / ((end - start) / 1e9);
    } finally {
      pool.shutdownNow();
      CloseHelper.quietClose(clientDriver);
    }
  }

  /** Per-step latency (push + pull of the next version) seen by worker 0: {p50, p99} in ms. */
  static double[] syncLatency(File parent, int size, int clients, int shards, int steps) throws Exception {
    return syncLatency(parent, size, clients, shards, steps, Compression.NONE);
  }

  static double[] syncLatency(File parent, int size, int clients, int shards, int steps,
      Compression compression) throws Exception {
    int port = freePort();
    MediaDriver clientDriver = driver(parent, "bench-lat-client");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    int warmup = 20;
    try (ParameterServer server = launchServer(parent, port, size, clients, shards, compression)) {
      List<Future<double[]>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int partition = c;
        fs.add(pool.submit(() -> {
          try (ParameterServerClient client = ParameterServerClient.connect(
              clientCtx(clientDriver.aeronDirectoryName(), port, partition))) {
            FloatBuffer params = floats(size);
            FloatBuffer grads = floats(size);
            client.pull(0, params);
            double[] ms = new double[steps];
            for (int step = 0; step < warmup + steps; step++) {
              long t0 = System.nanoTime();
              client.pushGradient(0, step, grads);
              client.pull(step + 1, params);
              if (step >= warmup) {
                ms[step - warmup] = (System.nanoTime() - t0) / 1e6;
              }
            }
            return ms;
          }
        }));
      }
      double[] ms = fs.get(0).get();
      for (Future<double[]> f : fs) {
        f.get();
      }
      Arrays.sort(ms);
      return new double[] {ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.99) - 1]};
    } finally {
      pool.shutdownNow();
      CloseHelper.quietClose(clientDriver);
    }
  }
}
