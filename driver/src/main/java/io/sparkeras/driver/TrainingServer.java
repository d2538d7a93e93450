package io.sparkeras.driver;

import io.sparkeras.worker.TrainSpec;

/**
 * The parameter server of one distributed fit as the driver uses it: embedded in the driver JVM
 * ({@link EmbeddedServer}, the default) or nodes of their own that the driver initialised over
 * the protocol ({@link ServerNodes}, {@code spark.sparkeras.ps.nodes}).
 *
 * <pre>{@code
 * try (TrainingServer server = TrainingServer.launch(settings, model, workers, restore)) {
 *   server.describe(spec);                 // how the workers reach it
 *   server.refreshLearningRate();          // at every epoch's start
 *   long version = server.readParameters(weights);
 *   server.checkpoint(dir + "/ps");
 * }
 * }</pre>
 */
interface TrainingServer extends AutoCloseable {

  /**
   * The server of a fit: the nodes of {@link TrainerSettings#PS_NODES} when set, else one
   * embedded in this JVM; from the model's weights, or from {@code restore} (a server
   * checkpoint written by {@link #checkpoint}) when not null.
   */
  static TrainingServer launch(TrainerSettings settings, io.sparkeras.api.models.Model model,
      int workers, String restore) {
    return settings.get(TrainerSettings.PS_NODES) != null
        ? ServerNodes.launch(settings, model, workers, restore)
        : EmbeddedServer.launch(settings, model, workers, restore);
  }

  /** Fills in how the workers reach the server: endpoints, job id and secret, channel. */
  TrainSpec describe(TrainSpec spec);

  /** Takes the driver optimizer's current learning rate (or schedule) for the next steps. */
  void refreshLearningRate();

  /** Copies the server's parameters into {@code out}; returns the lowest shard version. */
  long readParameters(float[] out);

  /** Writes the server's state (parameters, optimizer state, versions) under a Hadoop path. */
  void checkpoint(String path);

  /** Updates applied so far (one per sync step, async push or averaging round). */
  long stepsApplied();

  /** {@code {sum of loss × samples, samples}} of the applied pushes so far. */
  double[] trainingLoss();

  /** The job's failure (a sync timeout, a lost node), else null. */
  String failure();

  @Override
  void close();
}
