package io.sparkeras.api.models;

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

  @Override
  public Iterator<Batch> iterator() {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom r = new SplittableRandom(Sparkeras.nextSeed());
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    if (!shuffle) {
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
          List<NDArray> bx = new ArrayList<>();
          for (NDArray a : x) {
            bx.add(a.rows(start, end));
          }
          List<NDArray> by = new ArrayList<>();
          for (NDArray a : y) {
            by.add(a.rows(start, end));
          }
          start = end;
          return new Batch(bx, by);
        }
      };
    }
    List<float[]> xb = buffers(x);
    List<float[]> yb = buffers(y);
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
        Batch b = new Batch(gather(x, xb, order, start, end), gather(y, yb, order, start, end));
        start = end;
        return b;
      }
    };
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
