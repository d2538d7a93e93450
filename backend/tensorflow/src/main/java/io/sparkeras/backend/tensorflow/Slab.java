package io.sparkeras.backend.tensorflow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;
import org.tensorflow.types.TFloat32;

/**
 * A flat float32 TensorFlow tensor holding variables back to back (one variable before
 * {@code pack}, a model's weights after), with a {@link FloatBuffer} view of the tensor's own
 * memory (no copy) and a host gradient vector of the same size. Traced graphs see a slab as one
 * placeholder, split into its variables.
 */
final class Slab implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  final int id = IDS.incrementAndGet();
  final TFloat32 tensor;
  final FloatBuffer values;
  final FloatBuffer gradients;
  final int size;
  /** The variables' sizes and shapes, in order. */
  final int[] sizes;
  final int[][] shapes;
  final boolean[] trainable;

  Slab(int[][] shapes, boolean[] trainable) {
    this.shapes = shapes;
    this.trainable = trainable;
    this.sizes = new int[shapes.length];
    long total = 0;
    for (int i = 0; i < shapes.length; i++) {
      long n = 1;
      for (int d : shapes[i]) {
        n *= d;
      }
      sizes[i] = Math.toIntExact(n);
      total += n;
    }
    this.size = Math.toIntExact(total);
    this.tensor = TFloat32.tensorOf(Shape.of(size));
    this.values = view(tensor, size);
    this.gradients = ByteBuffer.allocateDirect(Math.max(size, 1) * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Where variable {@code index} starts. */
  int offset(int index) {
    int off = 0;
    for (int i = 0; i < index; i++) {
      off += sizes[i];
    }
    return off;
  }

  boolean anyTrainable() {
    for (boolean t : trainable) {
      if (t) {
        return true;
      }
    }
    return false;
  }

  /** A FloatBuffer over the tensor's native memory (TensorFlow's CPU tensors are host memory). */
  static FloatBuffer view(TFloat32 t, int size) {
    if (size == 0) {
      return FloatBuffer.allocate(0);
    }
    long memory = t.asRawTensor().data().accept(new DataStorageVisitor<Long>() {
      @Override
      public Long visit(long address, long length, long scale) {
        return address;
      }

      @Override
      public Long fallback() {
        throw new IllegalStateException("TensorFlow tensor memory is not raw native memory");
      }
    });
    Pointer p = new Pointer() {
      {
        this.address = memory;
      }
    };
    return new FloatPointer(p).capacity(size).asBuffer();
  }

  @Override
  public void close() {
    tensor.close();
  }
}
