package io.sparkeras.api.layers.convolutional;

import io.sparkeras.api.initializers.Initializer;
import io.sparkeras.api.layers.Variable;
import java.util.Map;

/**
 * A convolution with {@code filters} outputs and one {@code kernel} weight, configured by
 * {@code kernel_initializer}: the part {@link BaseConv} and {@link BaseConvTranspose} share.
 *
 * <pre>{@code
 * new Conv2D(32, 3).kernelInitializer("he_normal");
 * }</pre>
 *
 * @param <T> the concrete layer, so that the fluent setters return it
 */
public abstract class FilterConv<T extends FilterConv<T>> extends AbstractConv<T> {
  private final int filters;
  private Variable kernel;

  protected FilterConv(int rank, int filters, int[] kernelSize) {
    super(rank, kernelSize, "kernel");
    this.filters = positive(filters, "filters");
  }

  public T kernelInitializer(Initializer init) {
    return setKernelInitializer("kernel", init);
  }

  public T kernelInitializer(String name) {
    return kernelInitializer(Initializer.REGISTRY.deserialize(name));
  }

  public int filters() {
    return filters;
  }

  /** The kernel, in Keras's layout (see the subclass). */
  public Variable kernel() {
    return kernel;
  }

  /** The kernel's shape for this many input channels. */
  protected abstract int[] kernelShape(int inputChannels);

  @Override
  protected int outputChannels(int inputChannels) {
    return filters;
  }

  @Override
  protected void buildKernels(int inputChannels) {
    kernel = addWeight("kernel", kernelShape(inputChannels), initializerOf("kernel"), true);
  }

  @Override
  protected void putLeadingConfig(Map<String, Object> m) {
    m.put("filters", filters);
  }
}
