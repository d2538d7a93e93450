package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * Encodes integer category indices in {@code [0, num_tokens)}, Keras's
 * {@code CategoryEncoding}: "multi_hot" (default), "one_hot" or "count". Any other value is an
 * error naming it, as in Keras. Float inputs must hold whole numbers.
 *
 * <pre>{@code
 * new CategoryEncoding(4).outputMode("one_hot");    // 3 -> [0, 0, 0, 1]
 * }</pre>
 */
public final class CategoryEncoding extends PreprocessingLayer {
  private final int numTokens;
  private OutputMode outputMode = OutputMode.MULTI_HOT;

  public CategoryEncoding(int numTokens) {
    if (numTokens < 1) {
      throw new IllegalArgumentException("CategoryEncoding: num_tokens: expected >= 1, found "
          + numTokens);
    }
    this.numTokens = numTokens;
  }

  private CategoryEncoding(Config c) {
    super(c);
    if (c.get("num_tokens") == null) {
      throw new IllegalArgumentException("CategoryEncoding: num_tokens must be set (use "
          + "IntegerLookup when the number of tokens is not known)");
    }
    numTokens = c.getInt("num_tokens");
    if (numTokens < 1) {
      throw new IllegalArgumentException("CategoryEncoding: num_tokens: expected >= 1, found "
          + numTokens);
    }
    outputMode(c.getString("output_mode", "multi_hot"));
    if (c.getBoolean("sparse", false)) {
      throw new IllegalArgumentException(who() + "sparse=True needs the TensorFlow backend");
    }
  }

  public static CategoryEncoding fromConfig(Config c) {
    return new CategoryEncoding(c);
  }

  /** "multi_hot" (default), "one_hot" or "count". */
  public CategoryEncoding outputMode(String mode) {
    this.outputMode = OutputMode.of(mode, "CategoryEncoding output_mode", OutputMode.ONE_HOT,
        OutputMode.MULTI_HOT, OutputMode.COUNT);
    return this;
  }

  public int numTokens() {
    return numTokens;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.INT, HostValue.Kind.FLOAT);
    return HostValue.Kind.FLOAT;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return outputMode.outputShape(inputShape, numTokens);
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    HostValue in = inputs[0];
    outputMode.begin(in, out, numTokens);
    boolean ints = in.kind() == HostValue.Kind.INT;
    for (int e = 0; e < in.count(); e++) {
      long v;
      if (ints) {
        v = in.getInt(e);
      } else {
        float f = in.getFloat(e);
        v = (long) f;
        if (v != f) {
          throw new IllegalArgumentException(who() + "expects integer category indices, found "
              + f);
        }
      }
      if (v < 0 || v >= numTokens) {
        throw new IllegalArgumentException(who() + "expects values in [0, " + numTokens
            + "), found " + v);
      }
      outputMode.put(in, out, e, v, numTokens);
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("num_tokens", numTokens);
    m.put("output_mode", outputMode.kerasName());
    return m;
  }
}
