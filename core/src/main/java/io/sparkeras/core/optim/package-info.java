/**
 * Optimizer math on flat float vectors, shared by the local {@code model.fit} and the
 * parameter-server shards so both apply exactly the same update: {@link
 * io.sparkeras.core.optim.UpdateRule}s (SGD, Adam, AdamW, RMSprop, Adagrad) built by {@link
 * io.sparkeras.core.optim.UpdateRules} from Keras 3 configs, {@link
 * io.sparkeras.core.optim.GradientClipping}, and {@link io.sparkeras.core.optim.FlatOptimizer},
 * which runs a rule with its state, step counter, learning-rate schedule, clipping and trainable
 * ranges.
 *
 * <pre>{@code
 * FlatOptimizer opt = FlatOptimizer.fromKerasConfig("adam", Map.of("learning_rate", 1e-3),
 *     params.capacity(), new int[] {0, 100_352, 100_352, 100_480});
 * opt.step(params, grads);
 * }</pre>
 */
package io.sparkeras.core.optim;
