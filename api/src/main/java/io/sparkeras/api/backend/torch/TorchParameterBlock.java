package io.sparkeras.api.backend.torch;

import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * One flat parameter tensor and one flat gradient tensor; each variable's data and gradient are
 * views of a range of them. On CPU the host buffers are the tensors' own memory (zero copy); on
 * CUDA they are host mirrors updated by the explicit copy methods.
 */
final class TorchParameterBlock implements ParameterBlock {
  private final TorchBackend backend;
  private final org.bytedeco.pytorch.Tensor flat;
  private final org.bytedeco.pytorch.Tensor flatGrad;
  private final FloatBuffer params;
  private final FloatBuffer grads;
  private final int size;
  /** The variables (engine tensors) and where each starts in the flat vectors. */
  private final org.bytedeco.pytorch.Tensor[] variables;
  private final int[] offsets;
  /** Reports of final gradients while backward runs; created on the first listener. */
  private GradientHooks hooks;

  TorchParameterBlock(TorchBackend backend, List<Tensor> variables) {
    this.backend = backend;
    long total = 0;
    for (Tensor v : variables) {
      total += TorchTensor.unwrap(v).numel();
    }
    this.size = Math.toIntExact(total);
    flat = TorchBackend.keep(backend.onDevice(torch.zeros(Math.max(total, 1))));
    flatGrad = TorchBackend.keep(backend.onDevice(torch.zeros(Math.max(total, 1))));
    this.variables = new org.bytedeco.pytorch.Tensor[variables.size()];
    this.offsets = new int[variables.size()];
    long off = 0;
    try (PointerScope s = new PointerScope()) {
      for (int i = 0; i < variables.size(); i++) {
        org.bytedeco.pytorch.Tensor t = TorchTensor.unwrap(variables.get(i));
        this.variables[i] = t;
        this.offsets[i] = (int) off;
        long n = t.numel();
        long[] shape = t.sizes().vec().get();
        org.bytedeco.pytorch.Tensor view = flat.narrow(0, off, n).view(shape);
        view.copy_(t.detach());
        t.set_data(view);
        if (t.requires_grad()) {
          t.mutable_grad().put(flatGrad.narrow(0, off, n).view(shape));
        }
        off += n;
      }
    }
    if (backend.isCuda()) {
      params = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      grads = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      parametersToHost();
    } else {
      params = flat.data_ptr_float().capacity(size).asBuffer();
      grads = flatGrad.data_ptr_float().capacity(size).asBuffer();
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public FloatBuffer parameters() {
    return params;
  }

  @Override
  public FloatBuffer gradients() {
    return grads;
  }

  @Override
  public void zeroGradients() {
    flatGrad.zero_();
    if (hooks != null) {
      hooks.reset();
    }
  }

  @Override
  public void gradientsToHost() {
    if (hooks != null) {
      hooks.rethrow();
    }
    if (backend.isCuda()) {
      copy(flatGrad, grads);
    }
  }

  @Override
  public void parametersToHost() {
    if (backend.isCuda()) {
      copy(flat, params);
    }
  }

  @Override
  public void parametersToDevice() {
    if (backend.isCuda()) {
      try (PointerScope s = new PointerScope()) {
        org.bytedeco.pytorch.Tensor host = torch.empty(size);
        FloatBuffer hb = host.data_ptr_float().capacity(size).asBuffer();
        hb.put(0, params, 0, size);
        flat.narrow(0, 0, size).copy_(host);
      }
    }
  }

  /**
   * On CPU, where the host gradient buffer is the engine's own memory: a hook on every variable
   * that requires a gradient (registered once, on the first listener) reports the part of the
   * flat gradient that is final. On CUDA the host mirror is copied after backward, so nothing is
   * reported.
   */
  @Override
  public boolean onGradientsReady(GradientsReady listener) {
    if (backend.isCuda()) {
      return false;
    }
    if (hooks == null) {
      if (listener == null) {
        return true;
      }
      hooks = new GradientHooks(variables, offsets, size);
    }
    hooks.listener(listener);
    return true;
  }

  private void copy(org.bytedeco.pytorch.Tensor from, FloatBuffer to) {
    try (PointerScope s = new PointerScope()) {
      org.bytedeco.pytorch.Tensor host = from.narrow(0, 0, size).cpu().contiguous();
      to.put(0, host.data_ptr_float().capacity(size).asBuffer(), 0, size);
    }
  }
}
