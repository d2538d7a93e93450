package io.sparkeras.bench;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.datasets.FashionMnist;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.convolutional.Conv2D;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.layers.pooling.MaxPooling2D;
import io.sparkeras.api.layers.reshaping.Flatten;
import io.sparkeras.api.layers.rnn.LSTM;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.optimizers.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Training samples/s of the Sparkeras API on the JVM's backend against the same network written
 * directly against the libtorch binding (org.bytedeco:pytorch, its own Adam), same data, same
 * threads, one JVM: MLP 784-512-256-10 at batch 128 and 1024, the README's CNN at batch 128,
 * and LSTM(64) over the 28 rows of an image at batch 128 (API only: no raw LSTM is written).
 * {@code --backend tensorflow} runs it on torch, then on tensorflow (two JVMs, one after the
 * other), so both backends are measured in the same run.
 *
 * <pre>{@code
 * bin/sparkeras bench api [--backend tensorflow] [--threads 2] [--repeats 3]
 * }</pre>
 *
 * Ends with one JSON line: {@code {"backend": "torch", "mlp_b128": {"api": .., "raw": ..,
 * "ratio": ..}, ...}}.
 */
public final class ApiOverheadBench {
  private ApiOverheadBench() {}

  public static void main(String[] args) throws Exception {
    int threads = 2;
    int repeats = 3;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--threads")) {
        threads = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--repeats")) {
        repeats = Integer.parseInt(args[++i]);
      }
    }
    Sparkeras.backend().setThreads(threads);
    Sparkeras.setRandomSeed(1);
    FashionMnist.Data d = FashionMnist.load();
    StringBuilder json = new StringBuilder("{\"backend\":\"" + Sparkeras.backend().name() + "\"");
    System.out.printf(Locale.ROOT, "backend %s, threads %d, %s%n", Sparkeras.backend().name(),
        threads, Sparkeras.backend().device());
    System.out.printf(Locale.ROOT, "%-10s %12s %12s %8s%n", "case", "api samp/s", "raw samp/s",
        "api/raw");
    String[][] cases = {{"mlp", "128", "200"}, {"mlp", "1024", "40"}, {"cnn", "128", "60"},
        {"lstm", "128", "40"}};
    for (String[] c : cases) {
      String kind = c[0];
      int batch = Integer.parseInt(c[1]);
      int steps = Integer.parseInt(c[2]);
      NDArray x = kind.equals("mlp") ? FashionMnist.flatten(d.xTrain())
          : kind.equals("lstm") ? rows(d.xTrain()) : d.xTrain();
      List<Double> api = new ArrayList<>();
      List<Double> raw = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        raw.add(kind.equals("lstm") ? Double.NaN : raw(kind, x, d.yTrain(), batch, steps));
        api.add(api(kind, x, d.yTrain(), batch, steps));
      }
      double a = median(api);
      double w = median(raw);
      String name = kind + "_b" + batch;
      System.out.printf(Locale.ROOT, "%-10s %12.0f %12.0f %8.3f   api %s raw %s%n", name, a, w,
          a / w, range(api), range(raw));
      json.append(Double.isNaN(w) ? String.format(Locale.ROOT, ",\"%s\":{\"api\":%.0f}", name, a)
          : String.format(Locale.ROOT, ",\"%s\":{\"api\":%.0f,\"raw\":%.0f,\"ratio\":%.3f}",
              name, a, w, a / w));
    }
    System.out.println(json.append("}"));
  }

  static String range(List<Double> v) {
    return String.format(Locale.ROOT, "[%.0f-%.0f]", v.stream().mapToDouble(x -> x).min()
        .orElse(0), v.stream().mapToDouble(x -> x).max().orElse(0));
  }

  static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(x -> x).sorted().toArray();
    return a[a.length / 2];
  }

  /** Images [n, 28, 28, 1] as sequences [n, 28, 28]: 28 steps of 28 pixels. */
  static NDArray rows(NDArray images) {
    int n = images.length();
    float[] data = new float[n * 28 * 28];
    System.arraycopy(images.data(), images.offset(), data, 0, data.length);
    return NDArray.of(data, n, 28, 28);
  }

  static Model model(String kind) {
    if (kind.equals("lstm")) {
      return new Sequential(Input.of(28, 28), new LSTM(64), new Dense(10).activation("softmax"));
    }
    if (kind.equals("mlp")) {
      return new Sequential(Input.of(784), new Dense(512).activation("relu"),
          new Dense(256).activation("relu"), new Dense(10).activation("softmax"));
    }
    return new Sequential(Input.of(28, 28, 1), new Conv2D(32, 3).activation("relu"),
        new MaxPooling2D(2), new Flatten(), new Dense(128).activation("relu"),
        new Dense(10).activation("softmax"));
  }

  /** Samples/s of model.fit over {@code steps} batches (after a warm-up). */
  static double api(String kind, NDArray x, NDArray y, int batch, int steps) {
    Model m = model(kind);
    m.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy());
    int n = batch * steps;
    NDArray xs = x.rows(0, n);
    NDArray ys = y.rows(0, n);
    m.fit(x.rows(0, batch * 10), y.rows(0, batch * 10), FitOptions.epochs(1).batchSize(batch)
        .shuffle(false).verbose(0));
    long t0 = System.nanoTime();
    m.fit(xs, ys, FitOptions.epochs(1).batchSize(batch).shuffle(false).verbose(0));
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** The same network and optimizer written directly against the binding. */
  static double raw(String kind, NDArray x, NDArray y, int batch, int steps) {
    List<Tensor> params = new ArrayList<>();
    boolean mlp = kind.equals("mlp");
    long[][] shapes = mlp ? new long[][] {{784, 512}, {512}, {512, 256}, {256}, {256, 10}, {10}}
        : new long[][] {{32, 1, 3, 3}, {32}, {5408, 128}, {128}, {128, 10}, {10}};
    for (long[] s : shapes) {
      Tensor p = torch.randn(s).mul(new org.bytedeco.pytorch.Scalar(0.05f));
      p.retainReference();
      p.requires_grad_(true);
      params.add(p);
    }
    org.bytedeco.pytorch.Adam adam = new org.bytedeco.pytorch.Adam(
        new TensorVector(params.toArray(new Tensor[0])), new AdamOptions(1e-3));
    int per = x.sampleSize();
    float[] xd = x.data();
    float[] yd = y.data();
    long t0 = 0;
    int warm = 10;
    for (int s = 0; s < warm + steps; s++) {
      if (s == warm) {
        t0 = System.nanoTime();
      }
      int start = (s % steps) * batch;
      try (PointerScope scope = new PointerScope()) {
        Tensor xb = torch.empty(batch, per);
        xb.data_ptr_float().put(xd, x.offset() + start * per, batch * per);
        Tensor yb = torch.empty(batch);
        yb.data_ptr_float().put(yd, y.offset() + start, batch);
        Tensor labels = yb.to(torch.ScalarType.Long);
        adam.zero_grad();
        Tensor out;
        if (mlp) {
          Tensor h = torch.relu(torch.matmul(xb, params.get(0)).add(params.get(1)));
          h = torch.relu(torch.matmul(h, params.get(2)).add(params.get(3)));
          out = torch.matmul(h, params.get(4)).add(params.get(5));
        } else {
          // channels-last memory viewed as NCHW: libtorch's fast (oneDNN) convolution path;
          // a plain contiguous NCHW [b, 1, 28, 28] input ran 5x slower here
          Tensor img = xb.view(batch, 28, 28, 1).permute(0, 3, 1, 2);
          Tensor h = torch.relu(torch.conv2d(img, params.get(0), new TensorOptional(params.get(1)),
              new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1));
          // flatten in channels-last order, as Keras's Flatten does
          h = torch.max_pool2d(h, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0},
              new long[] {1, 1}, false).permute(0, 2, 3, 1).reshape(batch, -1);
          h = torch.relu(torch.matmul(h, params.get(2)).add(params.get(3)));
          out = torch.matmul(h, params.get(4)).add(params.get(5));
        }
        Tensor loss = torch.nll_loss(torch.log_softmax(out, 1), labels);
        loss.backward();
        adam.step();
        loss.item_float();
      }
    }
    double sps = (double) batch * steps / ((System.nanoTime() - t0) / 1e9);
    Arrays.fill(shapes, null);
    return sps;
  }
}
