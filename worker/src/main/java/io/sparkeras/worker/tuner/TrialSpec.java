package io.sparkeras.worker.tuner;

import io.sparkeras.api.tuner.CallbackFactory;
import io.sparkeras.api.tuner.Objective;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one trial's task needs besides its rows: the models to train (one saved-model file per
 * execution, built by the driver from the trial's hyperparameters), the epochs, the objective,
 * where to write the best checkpoint and which checkpoint to start from (Hyperband), the
 * callbacks, and how to read the columns. Shipped in the task closure.
 *
 * <pre>{@code
 * TrialSpec spec = new TrialSpec("03", List.of(WorkerModels.toBytes(model)))
 *     .epochs(0, 5).batchSize(64).objective(Objective.max("val_accuracy"))
 *     .checkpoint("hdfs://nn/tune/trial_03/checkpoint.keras");
 * }</pre>
 */
public final class TrialSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  final String trialId;
  final List<byte[]> models;
  int initialEpoch;
  int epochs = 1;
  int batchSize = 32;
  String objectiveName = "val_loss";
  boolean maximise;
  String checkpoint;
  String continueFrom;
  CallbackFactory callbacks = CallbackFactory.NONE;
  ColumnSpec features;
  int[] featureShape;
  ColumnSpec label;
  int[] labelShape;
  BadRowPolicy badRows = BadRowPolicy.FAIL;

  /** A trial with one saved model per execution. */
  public TrialSpec(String trialId, List<byte[]> models) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("trial " + trialId + ": no model to train");
    }
    this.trialId = trialId;
    this.models = new ArrayList<>(models);
  }

  /** Trains epochs {@code initial .. epochs - 1} (Keras's {@code initial_epoch}, {@code epochs}). */
  public TrialSpec epochs(int initial, int epochs) {
    this.initialEpoch = initial;
    this.epochs = epochs;
    return this;
  }

  public TrialSpec batchSize(int b) {
    this.batchSize = b;
    return this;
  }

  public TrialSpec objective(Objective o) {
    this.objectiveName = o.name();
    this.maximise = o.direction() == Objective.Direction.MAX;
    return this;
  }

  /** Where the best epoch's model is saved (any Hadoop path), or null for nowhere. */
  public TrialSpec checkpoint(String path) {
    this.checkpoint = path;
    return this;
  }

  /** A checkpoint whose weights every execution starts from, or null. */
  public TrialSpec continueFrom(String path) {
    this.continueFrom = path;
    return this;
  }

  public TrialSpec callbacks(CallbackFactory f) {
    this.callbacks = f == null ? CallbackFactory.NONE : f;
    return this;
  }

  /** How the task reads its rows. */
  public TrialSpec columns(ColumnSpec features, int[] featureShape, ColumnSpec label,
      int[] labelShape, BadRowPolicy badRows) {
    this.features = features;
    this.featureShape = featureShape.clone();
    this.label = label;
    this.labelShape = labelShape.clone();
    this.badRows = badRows;
    return this;
  }

  public String trialId() {
    return trialId;
  }

  Objective objective() {
    return maximise ? Objective.max(objectiveName) : Objective.min(objectiveName);
  }
}
