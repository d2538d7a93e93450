package io.sparkeras.bench.scale;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the scale grid's rows turn into: server nodes per rule, the link time a step needs, the
 * analytic model's fit of exposed communication, and the efficiency plot.
 */
class ScaleAnalysisTest {
  @Test
  void nodeRulesGiveAtLeastOneNodeAndRefuseUnknownRules() {
    assertEquals(1, ScaleGrid.nodes("quarter", 2));
    assertEquals(8, ScaleGrid.nodes("quarter", 32));
    assertEquals(16, ScaleGrid.nodes("half", 32));
    assertEquals(1, ScaleGrid.nodes("one", 32));
    assertEquals(32, ScaleGrid.nodes("all", 32));
    assertEquals(3, ScaleGrid.nodes("3", 32));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScaleGrid.nodes("most", 8));
    assertTrue(e.getMessage().contains("nodes") && e.getMessage().contains("'most'"),
        e.getMessage());
  }

  @Test
  void linkTimeIsTheBusiestLinksBytesAtItsRate() {
    SimJob job = job(8, 2, "none");
    // 4 workers' gradients in and parameters out through a node's link: 2 x 4 x P x 4 bytes
    double expected = 2.0 * 4 * ModelShape.resnet50().parameters() * 4 / (10e9 / 8);
    assertEquals(expected, ScaleGrid.linkSeconds(job, 10), expected * 1e-9);
    // fp16 pushes and pulls half the bytes
    assertEquals(expected / 2, ScaleGrid.linkSeconds(job(8, 2, "fp16"), 10), expected * 1e-9);
    // as many nodes as workers: the worker's own link is the busiest
    assertEquals(expected / 4, ScaleGrid.linkSeconds(job(8, 8, "none"), 10), expected * 1e-9);
  }

  @Test
  void theModelRecoversAFixedCostAndAProtocolFactorFromSyncRows() {
    // rows whose exposed communication is exactly 3 ms + 1.25 x link time
    List<String> lines = new ArrayList<>();
    lines.add(SimResult.CSV_HEADER);
    for (int n : new int[] {1, 2, 4, 8}) {
      for (double link : new double[] {10, 25}) {
        SimJob job = job(n, Math.max(1, n / 4), "none");
        double compute = job.compute.stepSeconds() * 1e3;
        double step = compute + 3 + 1.25 * ScaleGrid.linkSeconds(job, link) * 1e3;
        lines.add(String.format(java.util.Locale.ROOT, "resnet50-size,sync,fp32,%d,%s,%d,0,0,v100,"
            + "true,1,%.6f,%.6f,0,0,0,false,0,0,0", n, link, job.serverNodes, step, compute));
      }
    }
    lines.add(lines.get(1).replace(",sync,", ",async,"));
    ScaleModel.Fit fit = ScaleModel.fit(lines, "resnet50-size", "v100", 8);
    assertEquals(8, fit.rows, "the sync rows of the profile only");
    assertEquals(0.003, fit.alpha, 1e-6);
    assertEquals(1.25, fit.beta, 1e-6);
    assertEquals(0, fit.maxRelativeError, 1e-6);
    assertEquals(6, ScaleModel.fit(lines, "resnet50-size", "v100", 4).rows, "up to 4 workers");
    assertNull(ScaleModel.fit(lines, "bert-base-size", "v100", 8), "no rows, no fit");
  }

  @Test
  void plotsAGridAndRefusesAFileOfAnotherShape(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("scale-test.csv");
    Files.write(csv, List.of(SimResult.CSV_HEADER,
        "resnet50-size,sync,fp32,1,10,1,229.3,0.6247,v100,true,42,279.14,174.39,0.13,84.76,0,"
            + "false,20.06,20.45,1.00",
        "resnet50-size,sync,fp32,2,10,1,301.4,0.4106,v100,true,42,424.73,174.39,0.19,219.80,0,"
            + "false,18.82,19.07,1.00"), StandardCharsets.UTF_8);
    Path png = dir.resolve("scale-test.png");
    ScalePlots.write(csv, png);
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
    Path other = dir.resolve("other.csv");
    Files.write(other, List.of("a,b,c"), StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScalePlots.write(other, dir.resolve("other.png")));
    assertTrue(e.getMessage().contains("expected the header"), e.getMessage());
  }

  private static SimJob job(int workers, int nodes, String compression) {
    return ScaleBench.job(Map.of("model", "resnet50-size", "profile", "v100", "workers",
        Integer.toString(workers), "nodes", Integer.toString(nodes), "compression", compression,
        "scale", "1"));
  }
}
