package io.sparkeras.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one simulated run measured, from the workers' step timestamps: throughput over the
 * measured steps of every worker, the step time, the part of it that was not compute (the
 * exposed communication and waiting), and the scaling efficiency: samples/s divided by N times
 * what one worker computes alone ({@code batch / compute time}), as Horovod reports it.
 */
public final class SimResult {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final SimJob job;
  public final double linkGbps;
  public final int latencyUs;
  public final boolean latencyApplied;
  public final double samplesPerSecond;
  public final double stepSeconds;
  public final double computeSeconds;
  public final double pushSeconds;
  public final double waitSeconds;
  public final double scalingEfficiency;
  public final double loadBefore;
  public final double loadAfter;
  public final double cpuBusy;
  /** Steps the server nodes applied, summed over their shards. */
  public final long serverSteps;

  SimResult(SimJob job, double linkGbps, int latencyUs, boolean latencyApplied,
      List<String> workerJson, double loadBefore, double loadAfter, double cpuBusy,
      long serverSteps) {
    this.serverSteps = serverSteps;
    this.job = job;
    this.linkGbps = linkGbps;
    this.latencyUs = latencyUs;
    this.latencyApplied = latencyApplied;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
    this.cpuBusy = cpuBusy;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long samples = 0;
    List<Double> pushes = new ArrayList<>();
    List<Double> waits = new ArrayList<>();
    for (String line : workerJson) {
      JsonNode r;
      try {
        r = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("simulated worker result: " + line, e);
      }
      JsonNode start = r.get("start");
      JsonNode computed = r.get("computed");
      JsonNode pushed = r.get("pushed");
      JsonNode end = r.get("end");
      int n = start.size();
      first = Math.min(first, start.get(0).asLong());
      last = Math.max(last, end.get(n - 1).asLong());
      samples += (long) n * r.get("batch").asLong();
      for (int i = 0; i < n; i++) {
        pushes.add((pushed.get(i).asLong() - computed.get(i).asLong()) / 1e9);
        waits.add((end.get(i).asLong() - pushed.get(i).asLong()) / 1e9);
      }
    }
    int measured = job.steps - job.warmup;
    double wall = (last - first) / 1e9;
    this.samplesPerSecond = samples / wall;
    this.stepSeconds = wall / measured;
    this.computeSeconds = job.compute.stepSeconds();
    this.pushSeconds = median(pushes);
    this.waitSeconds = median(waits);
    double alone = job.compute.batch / computeSeconds;
    this.scalingEfficiency = samplesPerSecond / (job.workers * alone);
  }

  private static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /** The CSV header of {@link #csv()}: the columns first. */
  public static final String CSV_HEADER = "model,mode,compression,workers,link_gbps,server_nodes,"
      + "samples_per_s,scaling_efficiency,profile,overlap,scale,step_ms,compute_ms,push_ms,"
      + "wait_ms,latency_us,latency_applied,load_before,load_after,cpu_busy";

  public String csv() {
    return String.format(Locale.ROOT,
        "%s,%s,%s,%d,%s,%d,%.1f,%.4f,%s,%s,%d,%.2f,%.2f,%.2f,%.2f,%d,%s,%.2f,%.2f,%.2f",
        job.model.name(), job.mode, job.compression.equals("none") ? "fp32" : job.compression,
        job.workers, trim(linkGbps), job.serverNodes, samplesPerSecond, scalingEfficiency,
        job.compute.source.startsWith("V100") ? "v100" : job.compute.source.startsWith("measured")
            ? "cpu" : "fixed", job.overlap, job.scale, stepSeconds * 1e3, computeSeconds * 1e3,
        pushSeconds * 1e3, waitSeconds * 1e3, latencyUs, latencyApplied, loadBefore, loadAfter,
        cpuBusy);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s link=%sGbit/s: %.1f samples/s, step %.1f ms (compute"
        + " %.1f, push %.1f, wait %.1f), efficiency %.3f, load %.1f-%.1f, cpu busy %.2f",
        job.describe(), trim(linkGbps), samplesPerSecond, stepSeconds * 1e3, computeSeconds * 1e3,
        pushSeconds * 1e3, waitSeconds * 1e3, scalingEfficiency, loadBefore, loadAfter, cpuBusy);
  }
}
