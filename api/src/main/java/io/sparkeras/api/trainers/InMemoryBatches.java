package io.sparkeras.api.trainers;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batches over in-memory arrays (with their samples' weights, if any), shuffled afresh at each
 * iteration (epoch) when asked. Batch buffers are reused: a batch is valid until the next one is
 * taken.
 */
final class InMemoryBatches implements Iterable<Batch> {
  private final List<NDArray> x;
  private final List<NDArray> y;
  private final NDArray w;
  private final int batchSize;
  private final boolean shuffle;
  private final int n;

  /** {@code w}: one weight per sample, or null. */
  InMemoryBatches(List<NDArray> x, List<NDArray> y, NDArray w, int batchSize, boolean shuffle) {
    this.x = x;
    this.y = y == null ? List.of() : y;
    this.w = w;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.n = x.get(0).length();
    if (w != null && w.length() != n) {
      throw new IllegalArgumentException("sample_weight: " + w.length() + " weights for " + n
          + " samples");
    }
  }

  /**
   * fit's training and validation batches: the samples' weights are {@code sampleWeight}, or
   * the class weights' ({@link ClassWeights}); {@code validationSplit} holds out the last
   * fraction of the samples (before shuffling) with their weights, as Keras does. The second
   * element is null without validation data.
   */
  static InMemoryBatches[] forFit(Model model, List<NDArray> x, List<NDArray> y,
      FitOptions options) {
    NDArray w = options.sampleWeight();
    if (options.classWeight() != null) {
      if (w != null) {
        throw new IllegalArgumentException("fit: give sample_weight or class_weight, not both");
      }
      if (y.size() != 1) {
        throw new IllegalArgumentException("fit: class_weight is only supported for models "
            + "with one output; model '" + model.getName() + "' has " + y.size());
      }
      NDArray labels = y.get(0);
      w = NDArray.of(ClassWeights.of(options.classWeight()).sampleWeights(labels.data(),
          labels.offset(), labels.length(), labels.sampleSize()), labels.length());
    }
    if (w != null) {
      DataChecks.finite(w, "sample_weight", 0);
    }
    int n = x.get(0).length();
    if (options.validationSplit() <= 0) {
      return new InMemoryBatches[] {
          new InMemoryBatches(x, y, w, options.batchSize(), options.shuffle()),
          validation(options)};
    }
    int split = (int) Math.floor(n * (1 - options.validationSplit()));
    if (split <= 0 || split >= n) {
      throw new IllegalArgumentException("validation_split " + options.validationSplit()
          + " leaves no training or no validation samples out of " + n);
    }
    return new InMemoryBatches[] {
        new InMemoryBatches(rows(x, 0, split), rows(y, 0, split),
            w == null ? null : w.rows(0, split), options.batchSize(), options.shuffle()),
        new InMemoryBatches(rows(x, split, n), rows(y, split, n),
            w == null ? null : w.rows(split, n), options.batchSize(), false)};
  }

  /** Batches of the options' validation data, or null when there is none. */
  static InMemoryBatches validation(FitOptions options) {
    return options.validationX() == null ? null : new InMemoryBatches(options.validationX(),
        options.validationY(), options.validationSampleWeight(), options.batchSize(), false);
  }

  int batchCount() {
    return (n + batchSize - 1) / batchSize;
  }

  /** Rows {@code [from, to)} of each array, as views. */
  static List<NDArray> rows(List<NDArray> arrays, int from, int to) {
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      out.add(a.rows(from, to));
    }
    return out;
  }

  @Override
  public Iterator<Batch> iterator() {
    int[] order = shuffle ? shuffledOrder() : null;
    List<float[]> xb = shuffle ? buffers(x) : null;
    List<float[]> yb = shuffle ? buffers(y) : null;
    List<NDArray> ws = w == null ? List.of() : List.of(w);
    List<float[]> wb = shuffle ? buffers(ws) : null;
    return new Iterator<>() {
      int start;

      @Override
      public boolean hasNext() {
        return start < n;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int end = Math.min(n, start + batchSize);
        List<NDArray> bw = order == null ? rows(ws, start, end) : gather(ws, wb, order, start, end);
        Batch b = order == null
            ? new Batch(rows(x, start, end), rows(y, start, end), bw.isEmpty() ? null : bw.get(0))
            : new Batch(gather(x, xb, order, start, end), gather(y, yb, order, start, end),
                bw.isEmpty() ? null : bw.get(0));
        start = end;
        return b;
      }
    };
  }

  /** A permutation of the samples from the next seed (a fresh one every epoch). */
  private int[] shuffledOrder() {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom r = new SplittableRandom(Sparkeras.nextSeed());
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private List<float[]> buffers(List<NDArray> arrays) {
    List<float[]> l = new ArrayList<>();
    for (NDArray a : arrays) {
      l.add(new float[batchSize * a.sampleSize()]);
    }
    return l;
  }

  private static List<NDArray> gather(List<NDArray> arrays, List<float[]> bufs, int[] order,
      int start, int end) {
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (int k = 0; k < arrays.size(); k++) {
      NDArray a = arrays.get(k);
      float[] buf = bufs.get(k);
      int per = a.sampleSize();
      float[] src = a.data();
      int base = a.offset();
      for (int i = start; i < end; i++) {
        System.arraycopy(src, base + order[i] * per, buf, (i - start) * per, per);
      }
      int[] shape = a.shape();
      shape[0] = buf.length / Math.max(per, 1);
      if (per == 0) {
        shape[0] = end - start;
      }
      out.add(NDArray.of(buf, shape).rows(0, end - start));
    }
    return out;
  }
}
