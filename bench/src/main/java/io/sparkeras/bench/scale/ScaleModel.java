package io.sparkeras.bench.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/sparkeras bench scale model}: the analytic model of a sync step, fitted to a grid's
 * rows and used to predict 64-512 workers.
 *
 * <pre>
 * step = compute + exposed communication + server update + Spark's per-epoch overhead / steps
 *   exposed communication = max(0, alpha + beta x X)   X: seconds the busiest shaped link needs per
 *                                                 step ({@link ScaleGrid#linkSeconds})
 *   server update = (P/K) x update_ns + max(0, N x (P/K) x add_ns - X)
 *                                                 the sums overlap the pushes' arrival; only
 *                                                 what the link does not hide, and Adam, count
 *   Spark per epoch = e0 + e1 x N                 a barrier stage per epoch; tasks launched one
 *                                                 by one by the driver
 * </pre>
 *
 * {@code link_bound_efficiency}: the same step with the communication of links that run at
 * their rate and a push hidden behind backward ({@link #linkBoundCommunication}), what a
 * simulator on cores of its own would approach.
 *
 * <p>alpha and beta are least squares over the grid's sync rows of one profile (step - compute
 * against X); add_ns and update_ns come from {@code bench scale server-cpu}; e0, e1 and the steps
 * per epoch are given ({@code --epoch-s 1.0 --task-ms 5 --samples-per-epoch 1281167}: ImageNet's
 * training set, a second of stage start-up as measured by {@code bench scale validate}, 5 ms per
 * task launch). Assumes: the links of every host have the same rate, the server nodes get equal
 * shares (K = N/4 unless {@code --nodes}), compute per worker does not change with N (weak
 * scaling, fixed batch per worker), no stragglers.
 *
 * <pre>
 * bin/sparkeras bench scale model --csv bench/results/scale-2026-12-05.csv [--profile v100]
 *     [--links 10,25] [--nodes quarter|half|all] [--compression none|fp16|threshold]
 *     [--fit-max-workers 4] [--out FILE]
 * </pre>
 */
public final class ScaleModel {
  private ScaleModel() {}

  /** The fitted communication terms; the largest error is relative to the measured step. */
  static final class Fit {
    final double alpha;
    final double beta;
    final int rows;
    final double maxRelativeError;

    Fit(double alpha, double beta, int rows, double maxRelativeError) {
      this.alpha = alpha;
      this.beta = beta;
      this.rows = rows;
      this.maxRelativeError = maxRelativeError;
    }
  }

  static void run(Map<String, String> o) throws IOException {
    Path csv = ScaleBench.home().resolve(o.getOrDefault("csv", ""));
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("bench scale model: --csv must name a grid's CSV, found '"
          + o.get("csv") + "'");
    }
    String profile = o.getOrDefault("profile", "v100");
    double[] cpu = ServerCpuBench.read(ScaleBench.home().resolve(o.getOrDefault("server-cpu",
        ServerCpuBench.RESULTS)));
    double epochS = Double.parseDouble(o.getOrDefault("epoch-s", "1.0"));
    double taskMs = Double.parseDouble(o.getOrDefault("task-ms", "5"));
    double samplesPerEpoch = Double.parseDouble(o.getOrDefault("samples-per-epoch", "1281167"));
    String nodeRule = o.getOrDefault("nodes", "quarter");
    int fitMax = Integer.parseInt(o.getOrDefault("fit-max-workers", "4"));
    List<String> rows = new ArrayList<>();
    rows.add("model,compression,workers,link_gbps,server_nodes,measured_step_ms,"
        + "link_bound_step_ms,fitted_step_ms,in_fit");
    List<String> out = new ArrayList<>();
    out.add("model,compression,workers,link_gbps,server_nodes,step_ms,compute_ms,exposed_comm_ms,"
        + "server_ms,spark_ms,scaling_efficiency,link_bound_efficiency");
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String model : List.of("resnet50-size", "bert-base-size")) {
      Fit fit = fit(lines, model, profile, fitMax);
      if (fit == null) {
        System.out.println(model + ": fewer than 3 sync rows of profile " + profile + " in " + csv);
        continue;
      }
      System.out.printf(Locale.ROOT, "%s: exposed communication = %.2f ms + %.3f x link time"
          + " (%d rows, largest error %.0f%% of a step)%n", model, fit.alpha * 1e3, fit.beta,
          fit.rows,
          fit.maxRelativeError * 100);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        if (!f[0].equals(model) || !f[1].equals("sync") || !f[8].equals(profile)) {
          continue;
        }
        SimJob job = rowJob(f);
        double x = ScaleGrid.linkSeconds(job, Double.parseDouble(f[4]));
        double compute = job.compute.stepSeconds();
        rows.add(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%.1f,%.1f,%s", model, f[2], f[3],
            f[4], f[5], f[11], (compute + linkBoundCommunication(job, x)) * 1e3,
            (compute + fit.alpha + fit.beta * x) * 1e3, job.workers <= fitMax));
      }
      Map<String, String> base = new java.util.LinkedHashMap<>(o);
      base.put("model", model);
      base.put("profile", profile);
      base.put("scale", "1");
      for (String l : o.getOrDefault("links", "10,25").split(",")) {
        double link = Double.parseDouble(l);
        for (int n : new int[] {8, 32, 64, 128, 256, 512}) {
          base.put("workers", Integer.toString(n));
          base.put("nodes", Integer.toString(ScaleGrid.nodes(nodeRule, n)));
          SimJob job = ScaleBench.job(base);
          double compute = job.compute.stepSeconds();
          double x = ScaleGrid.linkSeconds(job, link);
          double comm = Math.max(0, fit.alpha + fit.beta * x);
          double share = (double) job.model.parameters() / job.serverNodes;
          double server = share * cpu[1] * 1e-9 + Math.max(0, n * share * cpu[0] * 1e-9 - x);
          double stepsPerEpoch = samplesPerEpoch / (n * (double) job.compute.batch);
          double spark = (epochS + taskMs * 1e-3 * n) / stepsPerEpoch;
          double step = compute + comm + server + spark;
          double linkBound = compute + linkBoundCommunication(job, x) + server + spark;
          out.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.3f,%.3f",
              model, job.compression.equals("none") ? "fp32" : job.compression, n, l,
              job.serverNodes, step * 1e3, compute * 1e3, comm * 1e3, server * 1e3,
              spark * 1e3, compute / step, compute / linkBound));
        }
      }
    }
    Path file = o.containsKey("out") ? ScaleBench.home().resolve(o.get("out"))
        : csv.resolveSibling(csv.getFileName().toString().replace(".csv", "-model.csv"));
    Files.write(file, out, StandardCharsets.UTF_8);
    Path fitted = csv.resolveSibling(csv.getFileName().toString().replace(".csv", "-fit.csv"));
    Files.write(fitted, rows, StandardCharsets.UTF_8);
    rows.forEach(System.out::println);
    out.forEach(System.out::println);
    System.out.println("wrote " + file + " and " + fitted);
  }

  /**
   * The communication a step would expose if the links ran at their rate and nothing else cost
   * time: the push (half of {@code x}) hidden behind backward, the pull (the other half) not.
   */
  static double linkBoundCommunication(SimJob job, double x) {
    return Math.max(0, x / 2 - job.compute.backwardNs / 1e9) + x / 2;
  }

  /** The job of a grid row (real size). */
  private static SimJob rowJob(String[] f) {
    Map<String, String> row = new java.util.LinkedHashMap<>();
    row.put("model", f[0]);
    row.put("profile", f[8]);
    row.put("workers", f[3]);
    row.put("nodes", f[5]);
    row.put("compression", f[2].equals("fp32") ? "none" : f[2]);
    row.put("scale", "1");
    return ScaleBench.job(row);
  }

  /**
   * Least squares of (step - compute) on the link time over the sync rows of one model with at
   * most {@code maxWorkers} workers (beyond a few hosts the simulator on two cores measures the
   * cores, not the links).
   */
  static Fit fit(List<String> lines, String model, String profile, int maxWorkers) {
    List<double[]> xy = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (f.length < 13 || !f[0].equals(model) || !f[1].equals("sync") || !f[8].equals(profile)
          || Integer.parseInt(f[3]) > maxWorkers) {
        continue;
      }
      double x = ScaleGrid.linkSeconds(rowJob(f), Double.parseDouble(f[4]));
      double exposed = (Double.parseDouble(f[11]) - Double.parseDouble(f[12])) / 1e3;
      xy.add(new double[] {x, exposed, Double.parseDouble(f[11]) / 1e3});
    }
    if (xy.size() < 3) {
      return null;
    }
    double mx = xy.stream().mapToDouble(p -> p[0]).average().orElse(0);
    double my = xy.stream().mapToDouble(p -> p[1]).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (double[] p : xy) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    double beta = sxx == 0 ? 0 : sxy / sxx;
    double alpha = my - beta * mx;
    double worst = 0;
    for (double[] p : xy) {
      double predicted = alpha + beta * p[0];
      worst = Math.max(worst, Math.abs(predicted - p[1]) / p[2]);
    }
    return new Fit(alpha, beta, xy.size(), worst);
  }
}
