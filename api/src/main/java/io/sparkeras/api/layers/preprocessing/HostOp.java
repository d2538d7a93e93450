package io.sparkeras.api.layers.preprocessing;

import java.util.List;

/**
 * One step a {@link HostPlan} runs on the host per sample: a preprocessing layer, or an engine
 * layer the host can run as well where that saves the network work (the concatenation of encoded
 * features, {@link ConcatOp}).
 */
interface HostOp {
  /** Output element type for these input types (throws naming what it expects otherwise). */
  HostValue.Kind outputKind(List<HostValue.Kind> inputKinds);

  /** One sample. */
  void encode(HostValue[] inputs, HostValue out, HostContext context);

  /** The seed of its random stream (0: none). */
  long seed();
}
