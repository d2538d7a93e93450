package io.sparkeras.bench.scale;

import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.attention.MultiHeadAttention;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Activation;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.core.Embedding;
import io.sparkeras.api.layers.merging.Add;
import io.sparkeras.api.layers.normalization.BatchNormalization;
import io.sparkeras.api.layers.normalization.LayerNormalization;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling1D;
import io.sparkeras.api.layers.pooling.GlobalAveragePooling2D;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.ZeroPadding2D;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bin/sparkeras bench scale calibrate}: the compute time per batch of each model on this
 * machine, for the simulator's {@code cpu} profile. Each model is a Sparkeras model of the shape
 * of {@link ModelShape} (the MLP; ResNet-50 v1 on 224x224x3; a BERT-base encoder of 12 layers on
 * sequences of 128, without the position and segment embeddings, whose compute is nil), run on
 * the libtorch backend with one intra-op thread, as the distributed trainer runs a worker on
 * local[2]. Forward: {@code predict} on the batch; a step: {@code computeGradients} (forward,
 * loss, backward into the flat gradient); backward = step - forward; medians of
 * {@code --repeats}. The large models are measured at a small batch ({@code --measure-batch},
 * default 2) and scaled linearly to the worker batch (32), which a 2-core machine can run but
 * not hold in its caches.
 *
 * <pre>
 * bin/sparkeras bench scale calibrate [--models mlp,resnet50-size,bert-base-size] [--repeats 5]
 *     [--measure-batch 2] [--out bench/results/scale-calibration.csv]
 * </pre>
 */
public final class ScaleCalibration {
  private ScaleCalibration() {}

  /** The worker batch of each model in the cpu profile. */
  static final Map<String, Integer> BATCH = Map.of("mlp", 128, "resnet50-size", 32,
      "bert-base-size", 32);

  static void run(Map<String, String> o) throws IOException {
    System.setProperty("sparkeras.threads", o.getOrDefault("threads", "1"));
    List<String> models = Arrays.asList(o.getOrDefault("models",
        String.join(",", ModelShape.NAMES)).split(","));
    int repeats = Integer.parseInt(o.getOrDefault("repeats", "5"));
    int small = Integer.parseInt(o.getOrDefault("measure-batch", "2"));
    Path out = ScaleBench.home().resolve(o.getOrDefault("out", ScaleBench.CALIBRATION));
    List<String> lines = new ArrayList<>();
    lines.add("model,batch,forward_ms,backward_ms,threads,date,load");
    for (String name : models) {
      int batch = BATCH.get(name);
      int measured = name.equals("mlp") ? batch : small;
      double load = SimCluster.loadAverage();
      double[] ms = measure(name, measured, repeats);
      double f = ms[0] * batch / measured;
      double b = (ms[1] - ms[0]) * batch / measured;
      String line = String.format(Locale.ROOT, "%s,%d,%.3f,%.3f,%s,%s,%.1f", name, batch, f, b,
          System.getProperty("sparkeras.threads"), LocalDate.now(ZoneOffset.UTC), load);
      System.out.println(line + "   (measured at batch " + measured + ": forward " + fmt(ms[0])
          + " ms, step " + fmt(ms[1]) + " ms)");
      lines.add(line);
    }
    Files.write(out, lines, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** {forward ms, step ms}, medians of {@code repeats} after one warm-up of each. */
  static double[] measure(String name, int batch, int repeats) {
    Model model = build(name);
    model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy());
    SplittableRandom r = new SplittableRandom(42);
    int[] shape = inputShape(name, batch);
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = name.equals("bert-base-size") ? r.nextInt(30522) : (float) r.nextGaussian();
    }
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = r.nextInt(name.equals("bert-base-size") ? 2 : name.equals("mlp") ? 10 : 1000);
    }
    NDArray input = NDArray.of(x, shape);
    Batch data = Batch.of(input, NDArray.ofLabels(labels));
    model.computeGradients(data);
    model.predict(input, batch);
    double[] forward = new double[repeats];
    double[] step = new double[repeats];
    for (int k = 0; k < repeats; k++) {
      long t0 = System.nanoTime();
      model.predict(input, batch);
      long t1 = System.nanoTime();
      model.computeGradients(data);
      long t2 = System.nanoTime();
      forward[k] = (t1 - t0) / 1e6;
      step[k] = (t2 - t1) / 1e6;
    }
    Arrays.sort(forward);
    Arrays.sort(step);
    return new double[] {forward[repeats / 2], step[repeats / 2]};
  }

  private static int[] inputShape(String name, int batch) {
    switch (name) {
      case "mlp": return new int[] {batch, 784};
      case "resnet50-size": return new int[] {batch, 224, 224, 3};
      default: return new int[] {batch, 128};
    }
  }

  static Model build(String name) {
    switch (name) {
      case "mlp":
        return new Sequential(Input.of(784), new Dense(512).activation("relu"),
            new Dense(256).activation("relu"), new Dense(10).activation("softmax"));
      case "resnet50-size": return resnet50();
      case "bert-base-size": return bertBase();
      default: throw new IllegalArgumentException("model: expected one of " + ModelShape.NAMES
          + ", found '" + name + "'");
    }
  }

  /** Keras's ResNet50 (v1) with its 1000-class top. */
  static Model resnet50() {
    KerasTensor in = Input.of(224, 224, 3);
    KerasTensor x = new ZeroPadding2D(3).apply(in);
    x = new Conv2D(64, 7).strides(2).apply(x);
    x = new Activation("relu").apply(new BatchNormalization().apply(x));
    x = new ZeroPadding2D(1).apply(x);
    x = new MaxPooling2D(3).strides(2).apply(x);
    int[][] stages = {{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}};
    for (int[] st : stages) {
      for (int b = 0; b < st[0]; b++) {
        x = bottleneck(x, st[1], b == 0 ? st[2] : 1, b == 0);
      }
    }
    x = new GlobalAveragePooling2D().apply(x);
    return new Model(in, new Dense(1000).activation("softmax").apply(x));
  }

  private static KerasTensor bottleneck(KerasTensor x, int filters, int stride, boolean project) {
    KerasTensor shortcut = x;
    if (project) {
      shortcut = new BatchNormalization().apply(new Conv2D(4 * filters, 1).strides(stride).apply(x));
    }
    KerasTensor y = new Conv2D(filters, 1).strides(stride).apply(x);
    y = new Activation("relu").apply(new BatchNormalization().apply(y));
    y = new Conv2D(filters, 3).padding("same").apply(y);
    y = new Activation("relu").apply(new BatchNormalization().apply(y));
    y = new BatchNormalization().apply(new Conv2D(4 * filters, 1).apply(y));
    return new Activation("relu").apply(new Add().apply(shortcut, y));
  }

  /** A BERT-base encoder: word embeddings, 12 post-norm transformer layers, a pooled head. */
  static Model bertBase() {
    KerasTensor in = Input.of(128);
    KerasTensor x = new LayerNormalization().apply(new Embedding(30522, 768).apply(in));
    for (int l = 0; l < 12; l++) {
      KerasTensor a = new MultiHeadAttention(12, 64).apply(x, x);
      x = new LayerNormalization().apply(new Add().apply(x, a));
      KerasTensor f = new Dense(768).apply(new Dense(3072).activation("gelu").apply(x));
      x = new LayerNormalization().apply(new Add().apply(x, f));
    }
    x = new Dense(768).activation("tanh").apply(new GlobalAveragePooling1D().apply(x));
    return new Model(in, new Dense(2).activation("softmax").apply(x));
  }
}
