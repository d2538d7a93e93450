package io.sparkeras.bench.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a scale grid's CSV: scaling efficiency vs simulated workers, one panel per model,
 * one line per (mode, compression, link, server-node rule) present in the CSV. A row belongs to
 * every rule its server nodes satisfy (K = 1, K = N/4, K = N/2, at least one node), so that a
 * rule's line runs through the small worker counts where the rules agree.
 *
 * <pre>
 * bin/sparkeras bench scale plot --csv bench/results/scale-2026-12-05.csv
 * </pre>
 */
public final class ScalePlots {
  private ScalePlots() {}

  static void run(Map<String, String> o) throws IOException {
    Path csv = ScaleBench.home().resolve(required(o, "csv"));
    String name = csv.getFileName().toString().replaceFirst("\\.csv$", ".png");
    write(csv, ScaleBench.home().resolve(o.getOrDefault("out", csv.resolveSibling(name)
        .toString())));
  }

  private static String required(Map<String, String> o, String key) {
    String v = o.get(key);
    if (v == null) {
      throw new IllegalArgumentException("bench scale plot: --" + key + " is required");
    }
    return v;
  }

  /** Reads the grid's rows and writes the plot next to nothing else. */
  static void write(Path csv, Path png) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(SimResult.CSV_HEADER)) {
      throw new IllegalArgumentException(csv + ": expected the header " + SimResult.CSV_HEADER);
    }
    // model -> series label -> workers -> efficiency (the last row of a point wins)
    Map<String, Map<String, TreeMap<Integer, Double>>> points = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      int n = Integer.parseInt(f[3]);
      int k = Integer.parseInt(f[5]);
      for (String rule : List.of("one", "quarter", "half")) {
        if (ScaleGrid.nodes(rule, n) != k) {
          continue;
        }
        String nodes = rule.equals("one") ? "K=1" : rule.equals("quarter") ? "K=N/4" : "K=N/2";
        String label = f[1] + " " + f[2] + " " + f[4] + " Gbit/s, " + nodes;
        points.computeIfAbsent(f[0], m -> new TreeMap<>())
            .computeIfAbsent(label, l -> new TreeMap<>()).put(n, Double.parseDouble(f[7]));
      }
    }
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (Map.Entry<String, Map<String, TreeMap<Integer, Double>>> m : points.entrySet()) {
      XYChart c = new XYChartBuilder().width(900).height(560)
          .title(m.getKey() + ": simulated scaling efficiency")
          .xAxisTitle("workers").yAxisTitle("samples/s / (N x one worker's compute rate)").build();
      c.getStyler().setXAxisLogarithmic(true);
      c.getStyler().setYAxisMin(0.0);
      c.getStyler().setYAxisMax(1.05);
      for (Map.Entry<String, TreeMap<Integer, Double>> s : m.getValue().entrySet()) {
        double[] x = s.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = s.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
        XYSeries series = c.addSeries(s.getKey(), x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
      }
      charts.add(c);
    }
    if (charts.isEmpty()) {
      throw new IllegalArgumentException(csv + ": no rows to plot");
    }
    BitmapEncoder.saveBitmap(charts, 1, charts.size(), png.toString(),
        BitmapEncoder.BitmapFormat.PNG);
  }
}
