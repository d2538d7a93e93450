package io.sparkeras.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long one worker's forward and backward pass of a batch take, per model: the wait that
 * replaces compute in the simulator.
 *
 * <ul>
 *   <li>{@code cpu}: measured on this machine by {@code bin/sparkeras bench scale calibrate}
 *       (Sparkeras models of the same shapes on the libtorch backend, one thread per worker as
 *       the distributed trainer runs them), read from {@code scale-calibration.csv}.</li>
 *   <li>{@code v100}: a GPU worker, from NVIDIA's published single-V100 FP32 training throughput
 *       of ResNet-50 (367 images/s, DeepLearningExamples, PyTorch 21.03): batch 64, 174 ms a
 *       step; BERT-base at the same effective FLOP rate (8.5 TFLOP/s), batch 32 sequences of 128:
 *       253 ms. Not measured here (this machine has no GPU); it is the kind of worker the scaling
 *       targets (Horovod's) were measured with. Forward takes a third of a step, backward two.</li>
 * </ul>
 *
 * <pre>{@code
 * ComputeProfile.Entry e = ComputeProfile.named("v100", calibrationFile).entry("resnet50-size");
 * long stepNs = e.forwardNs + e.backwardNs;
 * }</pre>
 */
public final class ComputeProfile {
  /** One model's compute per batch. */
  public static final class Entry {
    public final String model;
    public final int batch;
    public final long forwardNs;
    public final long backwardNs;
    public final String source;

    public Entry(String model, int batch, long forwardNs, long backwardNs, String source) {
      this.model = model;
      this.batch = batch;
      this.forwardNs = forwardNs;
      this.backwardNs = backwardNs;
      this.source = source;
    }

    /** Forward + backward of one batch, in seconds. */
    public double stepSeconds() {
      return (forwardNs + backwardNs) / 1e9;
    }
  }

  /** ResNet-50 FP32 training, one V100, NVIDIA DeepLearningExamples (PyTorch 21.03): img/s. */
  static final double V100_RESNET50_IMAGES_PER_SECOND = 367;

  private final String name;
  private final Map<String, Entry> entries;

  private ComputeProfile(String name, Map<String, Entry> entries) {
    this.name = name;
    this.entries = entries;
  }

  public String name() {
    return name;
  }

  /** The entry of {@code model}; names the profile and what it has when there is none. */
  public Entry entry(String model) {
    Entry e = entries.get(model);
    if (e == null) {
      throw new IllegalArgumentException("compute profile '" + name + "' has no entry for model '"
          + model + "' (it has " + entries.keySet() + ")");
    }
    return e;
  }

  /** {@code cpu} (from {@code calibration}) or {@code v100}. */
  public static ComputeProfile named(String name, Path calibration) {
    switch (name) {
      case "v100": return v100();
      case "cpu": return cpu(calibration);
      default:
        throw new IllegalArgumentException("profile: expected cpu or v100, found '" + name + "'");
    }
  }

  /** The published-V100 profile (see the class comment). */
  public static ComputeProfile v100() {
    Map<String, Entry> m = new LinkedHashMap<>();
    double resnetStep = 64 / V100_RESNET50_IMAGES_PER_SECOND;
    ModelShape resnet = ModelShape.resnet50();
    double flopsPerSecond = V100_RESNET50_IMAGES_PER_SECOND * 3 * resnet.forwardFlops();
    double bertStep = 32 * 3 * ModelShape.bertBase().forwardFlops() / flopsPerSecond;
    String src = "V100 FP32: ResNet-50 367 img/s published by NVIDIA; BERT-base at its FLOP rate";
    m.put("resnet50-size", thirds("resnet50-size", 64, resnetStep, src));
    m.put("bert-base-size", thirds("bert-base-size", 32, bertStep, src));
    return new ComputeProfile("v100", m);
  }

  private static Entry thirds(String model, int batch, double stepSeconds, String source) {
    long ns = Math.round(stepSeconds * 1e9);
    return new Entry(model, batch, ns / 3, ns - ns / 3, source);
  }

  /** A profile of fixed times (tests, or {@code --forward-ms/--backward-ms}). */
  public static ComputeProfile fixed(String model, int batch, double forwardMs, double backwardMs) {
    return new ComputeProfile("fixed", Map.of(model, new Entry(model, batch,
        Math.round(forwardMs * 1e6), Math.round(backwardMs * 1e6), "given")));
  }

  /**
   * The calibration written by {@code bench scale calibrate}: a CSV with the header
   * {@code model,batch,forward_ms,backward_ms,threads,date,load}.
   */
  public static ComputeProfile cpu(Path calibration) {
    if (calibration == null || !Files.isRegularFile(calibration)) {
      throw new IllegalArgumentException("compute profile 'cpu' needs a calibration file, found"
          + " none at " + calibration + ": run bin/sparkeras bench scale calibrate first");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(calibration, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.isEmpty() || !lines.get(0).startsWith("model,batch,forward_ms,backward_ms")) {
      throw new IllegalArgumentException(calibration + ": expected the header"
          + " model,batch,forward_ms,backward_ms,threads,date,load");
    }
    Map<String, Entry> m = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      try {
        m.put(f[0], new Entry(f[0], Integer.parseInt(f[1]),
            Math.round(Double.parseDouble(f[2]) * 1e6), Math.round(Double.parseDouble(f[3]) * 1e6),
            String.format(Locale.ROOT, "measured here %s, %s thread(s), load %s", f[5], f[4], f[6])));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(calibration + ": bad line '" + line + "'", e);
      }
    }
    return new ComputeProfile("cpu", m);
  }
}
