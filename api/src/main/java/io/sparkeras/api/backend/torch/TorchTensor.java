package io.sparkeras.api.backend.torch;

import io.sparkeras.api.backend.DType;
import io.sparkeras.api.backend.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A libtorch tensor behind the backend-neutral {@link Tensor} handle. */
final class TorchTensor implements Tensor {
  final org.bytedeco.pytorch.Tensor t;
  private int[] shape;

  TorchTensor(org.bytedeco.pytorch.Tensor t) {
    this.t = t;
  }

  static org.bytedeco.pytorch.Tensor unwrap(Tensor x) {
    if (x instanceof TorchTensor) {
      return ((TorchTensor) x).t;
    }
    throw new IllegalArgumentException("tensor of another backend (" + x.getClass().getName()
        + ") passed to the torch backend");
  }

  @Override
  public int[] shape() {
    int[] s = shape;
    if (s == null) {
      long[] sizes = t.sizes().vec().get();
      s = new int[sizes.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.toIntExact(sizes[i]);
      }
      shape = s;
    }
    return s.clone();
  }

  @Override
  public int rank() {
    return (int) t.dim();
  }

  @Override
  public DType dtype() {
    torch.ScalarType st = t.scalar_type().intern();
    if (st == torch.ScalarType.Float) {
      return DType.FLOAT32;
    }
    if (st == torch.ScalarType.Long) {
      return DType.INT64;
    }
    if (st == torch.ScalarType.Bool) {
      return DType.BOOL;
    }
    throw new IllegalStateException("unexpected torch dtype " + st);
  }

  @Override
  public float[] toFloatArray() {
    org.bytedeco.pytorch.Tensor c = t.detach().to(torch.ScalarType.Float);
    if (!c.device().is_cpu()) {
      c = c.cpu();
    }
    c = c.contiguous();
    float[] out = new float[Math.toIntExact(c.numel())];
    c.data_ptr_float().get(out);
    return out;
  }

  @Override
  public float item() {
    if (t.numel() != 1) {
      throw new IllegalStateException("item() needs a tensor of one element, found shape "
          + java.util.Arrays.toString(shape()));
    }
    return t.detach().to(torch.ScalarType.Float).item_float();
  }

  @Override
  public String toString() {
    return "TorchTensor" + java.util.Arrays.toString(shape()) + " " + dtype();
  }
}
