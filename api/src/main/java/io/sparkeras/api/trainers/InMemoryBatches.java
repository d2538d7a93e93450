package io.sparkeras.api.trainers;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batches over in-memory arrays, shuffled afresh at each iteration (epoch) when asked. Batch
 * buffers are reused: a batch is valid until the next one is taken.
 */
final class InMemoryBatches implements Iterable<Batch> {
  private final List<NDArray> x;
  private final List<NDArray> y;
  private final int batchSize;
  private final boolean shuffle;
  private final int n;

  InMemoryBatches(List<NDArray> x, List<NDArray> y, int batchSize, boolean shuffle) {
    this.x = x;
    this.y = y == null ? List.of() : y;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.n = x.get(0).length();
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
        Batch b = order == null ? new Batch(rows(x, start, end), rows(y, start, end))
            : new Batch(gather(x, xb, order, start, end), gather(y, yb, order, start, end));
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
