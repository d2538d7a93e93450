package io.sparkeras.api.layers.preprocessing;

import java.io.DataOutput;
import java.io.IOException;

/**
 * What a preprocessing layer learns from data before it is finished ({@code adapt}): moments,
 * token counts, a quantile summary. States are mergeable, so one state per Spark partition,
 * merged, gives what one state over all the rows gives (exactly for counts and moments; within
 * the stated error for quantiles), and they travel between JVMs as their own bytes
 * ({@link #write}, read back by the layer's {@link PreprocessingLayer#readAdaptState}), never
 * Java serialization.
 *
 * <pre>{@code
 * AdaptState s = layer.newAdaptState();
 * for (HostValue sample : samples) s.update(sample);
 * s.merge(stateOfAnotherPartition);
 * layer.finishAdapt(s);
 * }</pre>
 */
public interface AdaptState {
  /** Adds one sample (one row's value of the layer's input). */
  void update(HostValue sample);

  /** Adds everything {@code other} (a state of the same layer, made from other rows) saw. */
  void merge(AdaptState other);

  /** Writes the state; {@link PreprocessingLayer#readAdaptState} reads it back. */
  void write(DataOutput out) throws IOException;
}
