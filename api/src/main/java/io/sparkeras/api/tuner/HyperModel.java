package io.sparkeras.api.tuner;

import io.sparkeras.api.models.Model;

/**
 * Builds a compiled model from hyperparameters, like KerasTuner's {@code build_model(hp)}: the
 * values it asks {@code hp} for are the search space.
 *
 * <pre>{@code
 * HyperModel hm = hp -> {
 *   Sequential m = new Sequential(Input.of(784),
 *       new Dense(hp.intRange("units", 32, 512, 32)).activation("relu"),
 *       new Dense(10).activation("softmax"));
 *   m.compile(new Adam(hp.floatRange("lr", 1e-4, 1e-2, Sampling.LOG)),
 *       "sparse_categorical_crossentropy", "accuracy");
 *   return m;
 * };
 * }</pre>
 *
 * <p>The tuner calls it on the driver; the model's configuration (Keras JSON and compile
 * settings) goes to the executors, so the model must be one that saves and loads: functional,
 * Sequential, or a registered subclass.
 */
@FunctionalInterface
public interface HyperModel {
  Model build(HyperParameters hp);
}
