package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * The transposed convolution behind {@link Conv1DTranspose}, {@link Conv2DTranspose} and
 * {@link Conv3DTranspose}, as Keras's {@code BaseConvTranspose}: the gradient of a convolution
 * with respect to its input, used to upsample. Kernel {@code [k..., filters, in]} (output
 * channels before input channels, as in Keras), bias {@code [filters]}. Output sizes follow
 * Keras: "valid" gives {@code (in - 1) * s + max(dk, s)}, "same" gives {@code in * s}, and an
 * {@code output_padding} gives {@code (in - 1) * s + dk + op} ("valid") or
 * {@code (in - 1) * s + dk % 2 + op} ("same"), {@code dk} being the dilated kernel size.
 *
 * <pre>{@code
 * new Conv2DTranspose(16, 3).strides(2).padding("same");   // doubles height and width
 * }</pre>
 *
 * <p>Keras 3 leaves {@code output_padding} out of {@code get_config} (it is lost when Keras
 * saves such a layer); Sparkeras writes it when it is set, and reads it.
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseConvTranspose<T extends BaseConvTranspose<T>> extends FilterConv<T> {
  private int[] outputPadding;

  protected BaseConvTranspose(int rank, int filters, int[] kernelSize) {
    super(rank, filters, kernelSize);
  }

  @Override
  protected T readConfig(Config c) {
    if (c.has("output_padding")) {
      outputPadding(c.getInts("output_padding", rank()));
    }
    return super.readConfig(c);
  }

  /**
   * Extra rows/columns added at the end of each spatial axis (one value for all, or one per
   * axis). Default none (Keras's {@code None}); no value clears it.
   */
  public T outputPadding(int... outputPadding) {
    if (outputPadding == null || outputPadding.length == 0) {
      this.outputPadding = null;
      return self();
    }
    if (outputPadding.length != 1 && outputPadding.length != rank()) {
      throw new IllegalArgumentException(kind() + " output_padding: expected 1 or " + rank()
          + " integers, found " + java.util.Arrays.toString(outputPadding));
    }
    int[] p = new int[rank()];
    for (int i = 0; i < p.length; i++) {
      p[i] = outputPadding[outputPadding.length == 1 ? 0 : i];
      if (p[i] < 0) {
        throw new IllegalArgumentException(kind() + " output_padding: expected non-negative "
            + "integers, found " + java.util.Arrays.toString(outputPadding));
      }
    }
    this.outputPadding = p;
    return self();
  }

  /** The output padding per axis, or null for Keras's default. */
  public int[] outputPadding() {
    return outputPadding == null ? null : outputPadding.clone();
  }

  @Override
  protected int outputLength(int axis, int in) {
    return ConvUtils.transposeOutputLength(in, kernelSize()[axis], strides()[axis], padding(),
        outputPadding == null ? null : outputPadding[axis], dilationRate()[axis]);
  }

  /** {@code [k..., filters, in]}. */
  @Override
  protected int[] kernelShape(int inputChannels) {
    int rank = rank();
    int[] kshape = new int[rank + 2];
    System.arraycopy(kernelSize(), 0, kshape, 0, rank);
    kshape[rank] = filters();
    kshape[rank + 1] = inputChannels;
    return kshape;
  }

  @Override
  protected Tensor convolve(Tensor x) {
    return ops().convTranspose(x, kernel().value(), strides(), padding(), outputPadding,
        dilationRate());
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    if (outputPadding != null) {
      m.put("output_padding", Config.shapeList(outputPadding));
    }
    return m;
  }
}
