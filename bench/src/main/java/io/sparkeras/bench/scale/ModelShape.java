package io.sparkeras.bench.scale;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator needs to know of a model: its layers in Keras weight order (the order of
 * the flat parameter vector), each with its parameter count and its forward FLOPs per sample.
 * Backward runs the layers in reverse, so layer l's gradient is final once the backward of the
 * layers after it and of l itself is done; a layer's share of the backward time is taken as its
 * share of the FLOPs (backward costs about twice the forward of each layer).
 *
 * <p>The three models of the scale benchmark: {@link #mlp()} (the README's MLP
 * 784-512-256-10), {@link #resnet50()} (Keras's ResNet50 v1 with its top, 224x224x3:
 * 25,636,712 parameters, 7.7 GFLOP forward per image) and {@link #bertBase()} (BERT-base,
 * 12 layers of width 768, 30,522 word pieces, sequences of 128: 109,482,240 parameters,
 * 22.3 GFLOP forward per sequence).
 *
 * <pre>{@code
 * ModelShape m = ModelShape.named("resnet50-size");
 * long p = m.parameters();                    // 25,636,712
 * int[] groups = m.groupStarts(1 << 20);      // layer-group boundaries of ~1M floats
 * }</pre>
 */
public final class ModelShape {
  /** The models the benchmark knows, by the names of its CSV. */
  public static final List<String> NAMES = List.of("mlp", "resnet50-size", "bert-base-size");

  private final String name;
  private final long[] params;
  private final double[] flops;

  private ModelShape(String name, List<long[]> layers) {
    this.name = name;
    this.params = new long[layers.size()];
    this.flops = new double[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      params[i] = layers.get(i)[0];
      flops[i] = layers.get(i)[1];
    }
  }

  /** One of {@link #NAMES}. */
  public static ModelShape named(String name) {
    switch (name) {
      case "mlp": return mlp();
      case "resnet50-size": return resnet50();
      case "bert-base-size": return bertBase();
      default:
        throw new IllegalArgumentException("model: expected one of " + NAMES + ", found '" + name
            + "'");
    }
  }

  public String name() {
    return name;
  }

  /** Layers, in the order of the flat vector. */
  public int layers() {
    return params.length;
  }

  public long layerParameters(int layer) {
    return params[layer];
  }

  /** Forward FLOPs of one sample through the layer. */
  public double layerFlops(int layer) {
    return flops[layer];
  }

  public long parameters() {
    long total = 0;
    for (long p : params) {
      total += p;
    }
    return total;
  }

  /** Forward FLOPs of one sample. */
  public double forwardFlops() {
    double total = 0;
    for (double f : flops) {
      total += f;
    }
    return total;
  }

  /**
   * Layer groups for pushing gradients during backward: consecutive layers from the last one
   * back, each group closed once it holds at least {@code minFloats} parameters (the first
   * group takes what is left). Returns each group's first float in the flat vector, from the
   * last group to the first (the order backward finishes them); the last entry is 0.
   */
  public long[] groupStarts(long minFloats) {
    List<Long> starts = new ArrayList<>();
    long end = parameters();
    long held = 0;
    for (int l = params.length - 1; l >= 0; l--) {
      end -= params[l];
      held += params[l];
      if (held >= minFloats || l == 0) {
        starts.add(end);
        held = 0;
      }
    }
    long[] out = new long[starts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = starts.get(i);
    }
    return out;
  }

  /**
   * The share of the backward FLOPs of the layers at or after float {@code from} (what backward
   * has done when the gradient from {@code from} on is final).
   */
  public double backwardShareFrom(long from) {
    double done = 0;
    long at = parameters();
    for (int l = params.length - 1; l >= 0 && at > from; l--) {
      at -= params[l];
      done += flops[l];
    }
    return done / forwardFlops();
  }

  /** The README's MLP 784-512-256-10 (Dense layers: kernel + bias each). */
  public static ModelShape mlp() {
    List<long[]> layers = new ArrayList<>();
    int[] widths = {784, 512, 256, 10};
    for (int i = 0; i + 1 < widths.length; i++) {
      dense(layers, widths[i], widths[i + 1], 1);
    }
    return new ModelShape("mlp", layers);
  }

  /** Keras's ResNet50 (v1, with the 1000-class top) on 224x224x3 images. */
  public static ModelShape resnet50() {
    List<long[]> layers = new ArrayList<>();
    conv(layers, 7, 3, 64, 112);
    batchNorm(layers, 64);
    int in = 64;
    int[][] stages = {{3, 64, 56}, {4, 128, 28}, {6, 256, 14}, {3, 512, 7}};
    for (int[] st : stages) {
      int filters = st[1];
      int size = st[2];
      for (int b = 0; b < st[0]; b++) {
        if (b == 0) { // the projection shortcut, created first by Keras's block1
          conv(layers, 1, in, 4 * filters, size);
          batchNorm(layers, 4 * filters);
        }
        conv(layers, 1, in, filters, size);
        batchNorm(layers, filters);
        conv(layers, 3, filters, filters, size);
        batchNorm(layers, filters);
        conv(layers, 1, filters, 4 * filters, size);
        batchNorm(layers, 4 * filters);
        in = 4 * filters;
      }
    }
    dense(layers, 2048, 1000, 1);
    return new ModelShape("resnet50-size", layers);
  }

  /** BERT-base (uncased vocabulary, 512 positions, 2 segment types) on sequences of 128. */
  public static ModelShape bertBase() {
    int vocab = 30522;
    int h = 768;
    int inner = 3072;
    int seq = 128;
    List<long[]> layers = new ArrayList<>();
    layers.add(new long[] {(long) vocab * h, 0}); // word embeddings: a lookup
    layers.add(new long[] {512L * h, 0});
    layers.add(new long[] {2L * h, 0});
    layers.add(new long[] {2L * h, 0}); // embedding layer normalization
    for (int l = 0; l < 12; l++) {
      for (int k = 0; k < 4; k++) { // query, key, value, output projections
        dense(layers, h, h, seq);
      }
      // attention scores and their weighted sum: 2 x (seq x seq x h) multiply-adds
      layers.get(layers.size() - 1)[1] += 4L * seq * seq * h;
      layers.add(new long[] {2L * h, 0});
      dense(layers, h, inner, seq);
      dense(layers, inner, h, seq);
      layers.add(new long[] {2L * h, 0});
    }
    dense(layers, h, h, 1); // pooler
    return new ModelShape("bert-base-size", layers);
  }

  private static void dense(List<long[]> layers, int in, int out, int positions) {
    layers.add(new long[] {(long) in * out + out, 2L * positions * in * out});
  }

  private static void conv(List<long[]> layers, int k, int in, int out, int size) {
    layers.add(new long[] {(long) k * k * in * out + out, 2L * size * size * k * k * in * out});
  }

  private static void batchNorm(List<long[]> layers, int channels) {
    layers.add(new long[] {4L * channels, 0}); // gamma, beta, moving mean and variance
  }
}
