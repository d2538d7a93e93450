package io.sparkeras.api.layers.convolutional;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * The N-d convolution behind {@link Conv1D}, {@link Conv2D} and {@link Conv3D}, as Keras's
 * {@code BaseConv}: {@code activation(conv(x, kernel) + bias)}, kernel
 * {@code [k..., in / groups, filters]}, bias {@code [filters]}; inputs channels-last or, with
 * {@code dataFormat("channels_first")}, channels-first.
 *
 * <pre>{@code
 * new Conv2D(32, 3).strides(2).padding("same").activation("relu");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class BaseConv<T extends BaseConv<T>> extends FilterConv<T> {
  private int groups = 1;

  protected BaseConv(int rank, int filters, int[] kernelSize) {
    super(rank, filters, kernelSize);
  }

  /** Reads every Keras config key but filters and kernel_size (read by the subclass). */
  @Override
  protected T readConfig(Config c) {
    groups(c.getInt("groups", 1));
    return super.readConfig(c);
  }

  /** Channel groups: input channels and filters are split into this many independent groups. */
  public T groups(int groups) {
    if (groups <= 0 || filters() % groups != 0) {
      throw new IllegalArgumentException(kind() + " groups: expected a positive divisor of "
          + "filters=" + filters() + ", found " + groups);
    }
    this.groups = groups;
    return self();
  }

  public int groups() {
    return groups;
  }

  @Override
  protected int outputChannels(int inputChannels) {
    if (inputChannels % groups != 0) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + kind() + ") needs a "
          + "number of input channels divisible by groups=" + groups + ", found "
          + inputChannels);
    }
    return super.outputChannels(inputChannels);
  }

  @Override
  protected int[] kernelShape(int inputChannels) {
    int rank = rank();
    int[] kshape = new int[rank + 2];
    System.arraycopy(kernelSize(), 0, kshape, 0, rank);
    kshape[rank] = inputChannels / groups;
    kshape[rank + 1] = filters();
    return kshape;
  }

  @Override
  protected Tensor convolve(Tensor x) {
    String mode = padding();
    int[] dilation = dilationRate();
    if (mode.equals("causal")) {
      int left = (kernelSize()[0] - 1) * dilation[0];
      if (left > 0) {
        Tensor zeros = ops().zeros(x.dim(0), left, x.dim(2));
        x = ops().concatenate(List.of(zeros, x), 1);
      }
      mode = "valid";
    }
    return ops().conv(x, kernel().value(), strides(), mode, dilation, groups);
  }

  @Override
  protected void putMiddleConfig(Map<String, Object> m) {
    m.put("groups", groups);
  }
}
