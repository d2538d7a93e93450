package io.sparkeras.bench.scale;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bin/sparkeras bench scale ...}: the multi-host cluster simulator and what is measured
 * with it (docs/benchmarks.md, "Scaling"). Needs root for the simulated network.
 *
 * <pre>
 * bench scale check                     what this machine lacks to simulate a network
 * bench scale run [options]             one simulated run, printed
 *     --model mlp|resnet50-size|bert-base-size --profile cpu|v100 --workers N --nodes K
 *     --link GBPS --latency-us U --mode sync|async|averaging --compression none|fp16|bf16|threshold
 *     --overlap true|false --scale S (default: auto) --steps 8 --warmup 3 --spin
 * bench scale grid [--out DIR] ...      the measurement grid: CSV and plots (ScaleGrid)
 * bench scale plot --csv FILE           the plot of a grid's CSV (ScalePlots)
 * bench scale validate ...              simulated vs real runs at 1-4 workers (ScaleValidation)
 * bench scale calibrate ...             compute per batch of each model here (ScaleCalibration)
 * bench scale server-cpu ...            the server's CPU per step, real size (ServerCpuBench)
 * bench scale model --csv FILE          the analytic model fitted to a grid, predictions to 512
 * </pre>
 */
public final class ScaleBench {
  /** Where {@code calibrate} writes and the cpu profile reads the compute times. */
  static final String CALIBRATION = "bench/results/scale-calibration.csv";

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    String cmd = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (cmd) {
      case "check": {
        String missing = SimNet.missing(false);
        System.out.println(missing == null ? "simnet: ok" : "missing: " + missing);
        String latency = SimNet.missing(true);
        if (missing == null && latency != null) {
          System.out.println("link latency cannot be simulated here: " + latency);
        }
        System.exit(missing == null ? 0 : 3);
        break;
      }
      case "run":
        run(options(rest));
        break;
      case "grid":
        ScaleGrid.run(options(rest));
        break;
      case "plot":
        ScalePlots.run(options(rest));
        break;
      case "server-cpu":
        ServerCpuBench.run(options(rest));
        break;
      case "model":
        ScaleModel.run(options(rest));
        break;
      case "validate":
        ScaleValidation.run(options(rest));
        break;
      case "calibrate":
        ScaleCalibration.run(options(rest));
        break;
      default:
        System.err.println("bench scale: expected check, run, grid, plot, validate,"
            + " calibrate, server-cpu or model, found '" + cmd + "'");
        System.exit(2);
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("bench scale: unexpected argument '" + args[i] + "'");
      }
      String key = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        o.put(key, args[++i]);
      } else {
        o.put(key, "true");
      }
    }
    return o;
  }

  static Path home() {
    String h = System.getProperty("sparkeras.home");
    return h == null ? Paths.get("") : Paths.get(h);
  }

  /** The job the options describe (defaults: sync, fp32, one node, no overlap, auto scale). */
  static SimJob job(Map<String, String> o) {
    String model = o.getOrDefault("model", "resnet50-size");
    ComputeProfile.Entry compute;
    if (o.containsKey("forward-ms")) {
      compute = ComputeProfile.fixed(model, Integer.parseInt(o.getOrDefault("batch", "32")),
          Double.parseDouble(o.get("forward-ms")), Double.parseDouble(o.get("backward-ms")))
          .entry(model);
    } else {
      compute = ComputeProfile.named(o.getOrDefault("profile", model.equals("mlp") ? "cpu" : "v100"),
          home().resolve(CALIBRATION)).entry(model);
    }
    SimJob job = SimJob.of(ModelShape.named(model), compute)
        .withWorkers(Integer.parseInt(o.getOrDefault("workers", "2")))
        .withServerNodes(Integer.parseInt(o.getOrDefault("nodes", "1")))
        .withMode(o.getOrDefault("mode", "sync"))
        .withCompression(o.getOrDefault("compression", "none"))
        .withOverlap(Boolean.parseBoolean(o.getOrDefault("overlap", "false")))
        .withSteps(Integer.parseInt(o.getOrDefault("steps", "8")),
            Integer.parseInt(o.getOrDefault("warmup", "3")))
        .withSpin(Boolean.parseBoolean(o.getOrDefault("spin", "false")));
    double link = Double.parseDouble(o.getOrDefault("link", "10"));
    long scale = o.containsKey("scale") ? Long.parseLong(o.get("scale"))
        : ScalePolicy.scaleFor(job, link);
    return job.withScale(scale);
  }

  private static void run(Map<String, String> o) {
    SimJob job = job(o);
    double link = Double.parseDouble(o.getOrDefault("link", "10"));
    int latency = Integer.parseInt(o.getOrDefault("latency-us", "0"));
    try (SimCluster c = SimCluster.start(job.workers, job.serverNodes, 9000, latency)) {
      SimResult r = c.run(job, link);
      System.out.println(r);
      System.out.println(SimResult.CSV_HEADER);
      System.out.println(r.csv());
    }
  }
}
