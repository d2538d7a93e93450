package io.sparkeras.bench.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/sparkeras bench scale grid}: the cross product of the given worker counts, links,
 * models, modes, compressions and server-node rules, one simulated cluster per worker count
 * (its host JVMs started once and reused by every run of that size), each finished run appended
 * to {@code scale-DATE.csv} at once (so that a grid stopped half-way keeps what it measured),
 * then the plots ({@link ScalePlots}). A run whose shaped links alone would take longer than
 * {@code --max-run-s} is skipped and listed as such: the simulator runs in real time, and a
 * 100 MB gradient through one 1 Gbit/s server link per worker is seconds per step.
 *
 * <pre>
 * bin/sparkeras bench scale grid --workers 1,2,4,8 --links 10,25 --models resnet50-size
 *     --modes sync --compressions none --nodes quarter [--profile v100] [--overlap true]
 *     [--steps 8] [--warmup 3] [--max-run-s 60] [--out bench/results] [--date 2026-12-05]
 * </pre>
 *
 * <p>{@code --nodes}: {@code one} (one server node), {@code quarter} (N/4, at least one),
 * {@code half} (N/2, at least one), {@code all} (N: a server node on every worker's host, as
 * BytePS places them), or a number.
 */
public final class ScaleGrid {
  private ScaleGrid() {}

  static void run(Map<String, String> o) throws IOException {
    int[] workers = ints(o.getOrDefault("workers", "1,2,4,8,16,32"), "workers");
    double[] links = Arrays.stream(o.getOrDefault("links", "1,10,25").split(","))
        .mapToDouble(Double::parseDouble).toArray();
    List<String> models = List.of(o.getOrDefault("models", String.join(",", ModelShape.NAMES))
        .split(","));
    List<String> modes = List.of(o.getOrDefault("modes", "sync").split(","));
    List<String> compressions = List.of(o.getOrDefault("compressions", "none").split(","));
    List<String> nodeRules = List.of(o.getOrDefault("nodes", "quarter").split(","));
    double maxRunSeconds = Double.parseDouble(o.getOrDefault("max-run-s", "60"));
    Path dir = ScaleBench.home().resolve(o.getOrDefault("out", "bench/results"));
    String date = o.getOrDefault("date", LocalDate.now(ZoneOffset.UTC).toString());
    Path csv = dir.resolve("scale-" + date + ".csv");
    if (!Files.exists(csv)) {
      Files.write(csv, List.of(SimResult.CSV_HEADER), StandardCharsets.UTF_8);
    }
    List<String> skipped = new ArrayList<>();
    for (int n : workers) {
      int maxNodes = 1;
      for (String rule : nodeRules) {
        maxNodes = Math.max(maxNodes, nodes(rule, n));
      }
      List<SimJob> jobs = new ArrayList<>();
      List<Double> jobLinks = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String model : models) {
        for (double link : links) {
          for (String mode : modes) {
            for (String compression : compressions) {
              for (String rule : nodeRules) {
                Map<String, String> one = new java.util.LinkedHashMap<>(o);
                one.put("model", model);
                one.put("workers", Integer.toString(n));
                one.put("nodes", Integer.toString(nodes(rule, n)));
                one.put("link", Double.toString(link));
                one.put("mode", mode);
                one.put("compression", compression);
                one.putIfAbsent("overlap", "true");
                one.remove("scale");
                SimJob job = ScaleBench.job(one);
                double estimate = job.steps * (job.compute.stepSeconds() + linkSeconds(job, link));
                if (estimate > maxRunSeconds) {
                  skipped.add(String.format(Locale.ROOT,
                      "%s %s %s N=%d K=%d %s Gbit/s: about %.0f s",
                      model, mode, compression, n, job.serverNodes, link, estimate));
                  continue;
                }
                if (seen.add(job.describe() + " " + link)) {
                  jobs.add(job);
                  jobLinks.add(link);
                }
              }
            }
          }
        }
      }
      if (jobs.isEmpty()) {
        continue;
      }
      int latency = Integer.parseInt(o.getOrDefault("latency-us", "0"));
      try (SimCluster c = SimCluster.start(n, maxNodes, 9000, latency)) {
        for (int i = 0; i < jobs.size(); i++) {
          SimResult r = c.run(jobs.get(i), jobLinks.get(i));
          System.out.println(r);
          Files.write(csv, List.of(r.csv()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
      }
    }
    skipped.forEach(s -> System.out.println("skipped (links too slow to simulate in real time): "
        + s));
    ScalePlots.write(csv, dir.resolve("scale-" + date + ".png"));
    System.out.println("wrote " + csv + " and " + dir.resolve("scale-" + date + ".png"));
  }

  /**
   * Seconds per step the shaped links need at least: each worker's gradient in and parameters
   * out (bytes per value of the encoding), through the busier of its own link and a server
   * node's link that carries its share of every worker's traffic.
   */
  static double linkSeconds(SimJob job, double linkGbps) {
    double bytes = job.model.parameters() * bytesPerValue(job.compression);
    double busiest = Math.max(1, (double) job.workers / job.serverNodes);
    double exchanges = job.mode.equals("averaging") ? 1.0 / job.every : 1;
    return 2 * bytes * busiest * exchanges / (linkGbps * 1e9 / 8);
  }

  /** Bytes per value of a push and its pull, averaged (the server pulls fp16/bf16 as pushed). */
  static double bytesPerValue(String compression) {
    switch (compression) {
      case "fp16":
      case "bf16":
        return 2;
      case "threshold":
        return 2.1; // about 5% of the values pushed, 4 bytes each; the pull is fp32
      default:
        return 4;
    }
  }

  /** The server nodes of {@code rule} for {@code n} workers. */
  static int nodes(String rule, int n) {
    switch (rule) {
      case "one": return 1;
      case "quarter": return Math.max(1, n / 4);
      case "half": return Math.max(1, n / 2);
      case "all": return n;
      default:
        try {
          return Integer.parseInt(rule);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("nodes: expected one, quarter, half, all or a number,"
              + " found '" + rule + "'");
        }
    }
  }

  private static int[] ints(String list, String key) {
    try {
      return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected comma-separated integers, found '"
          + list + "'");
    }
  }
}
