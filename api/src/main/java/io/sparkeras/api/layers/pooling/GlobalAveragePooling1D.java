package io.sparkeras.api.layers.pooling;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.DataFormat;
import io.sparkeras.api.layers.Masks;
import java.util.Collections;
import java.util.List;

/**
 * Mean over steps of a {@code (batch, steps, channels)} input, as Keras's
 * {@code GlobalAveragePooling1D}: output {@code [batch, channels]} ({@code keepdims} keeps the
 * pooled axes with size 1). With a mask (from {@code Embedding(mask_zero=True)} or
 * {@code Masking}) it averages the kept steps only, and the output carries no mask.
 *
 * <pre>{@code
 * new GlobalAveragePooling1D();
 * }</pre>
 */
public class GlobalAveragePooling1D extends BaseGlobalPooling<GlobalAveragePooling1D> {

  public GlobalAveragePooling1D() {
    super(1);
    setSupportsMasking(true);
  }

  public static GlobalAveragePooling1D fromConfig(Config c) {
    return new GlobalAveragePooling1D().readConfig(c);
  }

  /** Keras: {@code sum(x * mask) / sum(mask)} over the steps when the input has a mask. */
  @Override
  public List<Tensor> call(CallArgs args) {
    Tensor m = Masks.asFloat(args.mask(0));
    if (m == null) {
      return super.call(args);
    }
    boolean last = dataFormat() == DataFormat.CHANNELS_LAST;
    Tensor mask = ops().expandDims(m, last ? 2 : 1);
    int[] steps = {last ? 1 : 2};
    Tensor sum = ops().sum(ops().multiply(args.input(0), mask), steps, isKeepdims());
    return List.of(ops().divide(sum, ops().sum(mask, steps, isKeepdims())));
  }

  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    return Collections.singletonList(null);
  }
}
