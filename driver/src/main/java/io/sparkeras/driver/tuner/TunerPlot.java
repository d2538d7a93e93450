package io.sparkeras.driver.tuner;

import io.sparkeras.api.tuner.Oracle;
import io.sparkeras.api.tuner.Trial;
import io.sparkeras.api.tuner.TrialStatus;
import io.sparkeras.core.fs.AtomicWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a search: each completed trial's objective against the minutes since the first
 * trial started, when it finished, and the best so far as a step line.
 */
final class TunerPlot {
  private TunerPlot() {}

  static void write(Oracle oracle, String path) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Trial> done = new ArrayList<>();
    long t0 = Long.MAX_VALUE;
    for (Trial t : oracle.trials()) {
      if (t.startedMs() > 0) {
        t0 = Math.min(t0, t.startedMs());
      }
      if (t.status() == TrialStatus.COMPLETED && t.score() != null && !t.score().isNaN()) {
        done.add(t);
      }
    }
    done.sort((a, b) -> Long.compare(a.endedMs(), b.endedMs()));
    String objective = oracle.objective().name();
    XYChart c = new XYChartBuilder().width(800).height(500)
        .title("Search: " + objective + " per trial (" + oracle.kind() + ")")
        .xAxisTitle("minutes since the search started").yAxisTitle(objective).build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    if (done.isEmpty()) {
      c.addSeries("no completed trial", new double[] {0}, new double[] {0});
    } else {
      double[] x = new double[done.size()];
      double[] y = new double[done.size()];
      double[] best = new double[done.size()];
      for (int i = 0; i < x.length; i++) {
        Trial t = done.get(i);
        x[i] = (t.endedMs() - t0) / 60000.0;
        y[i] = t.score();
        best[i] = i == 0 || oracle.objective().better(y[i], best[i - 1]) ? y[i] : best[i - 1];
      }
      XYSeries trials = c.addSeries("trial", x, y);
      trials.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      trials.setMarker(SeriesMarkers.CIRCLE);
      XYSeries line = c.addSeries("best so far", x, best);
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      line.setMarker(SeriesMarkers.NONE);
    }
    byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    AtomicWrite.file(fs, p, AtomicWrite.IfExists.REPLACE, out -> out.write(png));
  }
}
