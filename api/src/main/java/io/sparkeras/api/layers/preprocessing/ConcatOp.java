package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.layers.merging.Concatenate;
import java.util.List;

/**
 * A {@link Concatenate} on the last axis of encoded features run on the host: the parts are
 * copied side by side into one value, so the network takes one input instead of one per feature
 * and no engine concatenation (forward and backward) runs. Taken only when every input is a
 * number vector the host computes (a FeatureSpace's "concat" output); otherwise the engine runs
 * the layer as usual. Same values either way.
 */
final class ConcatOp implements HostOp {
  private final Concatenate layer;

  ConcatOp(Concatenate layer) {
    this.layer = layer;
  }

  /** Whether the host can run {@code layer} on inputs of these sample shapes. */
  static boolean applies(Concatenate layer, List<int[]> inputShapes) {
    for (int[] s : inputShapes) {
      if (s.length != 1 || s[0] < 0) {
        return false;
      }
    }
    return layer.axis() == -1 || layer.axis() == 1;
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    for (HostValue.Kind k : kinds) {
      if (k == HostValue.Kind.STRING) {
        throw new IllegalArgumentException("Concatenate '" + layer.getName() + "': cannot "
            + "concatenate strings");
      }
    }
    return HostValue.Kind.FLOAT;
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    int n = 0;
    for (HostValue in : inputs) {
      n += in.count();
    }
    out.resize1(n);
    float[] o = out.floats();
    int at = 0;
    for (HostValue in : inputs) {
      int k = in.count();
      if (in.kind() == HostValue.Kind.FLOAT) {
        System.arraycopy(in.floats(), 0, o, at, k);
      } else {
        long[] l = in.ints();
        for (int i = 0; i < k; i++) {
          o[at + i] = l[i];
        }
      }
      at += k;
    }
  }

  @Override
  public long seed() {
    return 0;
  }
}
