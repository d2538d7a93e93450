package io.sparkeras.ps;

/** How the workers of one training job are synchronised by the parameter server. */
public enum TrainingMode {
  /**
   * Bulk synchronous: step t completes when every one of the job's workers has pushed its step-t
   * gradient; the shard averages them, applies the optimizer once and publishes version t + 1.
   */
  SYNC,
  /**
   * Asynchronous with bounded staleness (SSP): each gradient is applied on arrival; a worker that
   * is more than {@code staleness} pushes ahead of the slowest worker waits in its pull.
   */
  ASYNC,
  /**
   * Model averaging (local SGD): workers train locally and push their weights every k steps; the
   * shard replaces its parameters by the mean of the N pushed weight vectors.
   */
  AVERAGING
}
