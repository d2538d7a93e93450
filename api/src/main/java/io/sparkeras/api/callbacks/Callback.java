package io.sparkeras.api.callbacks;

import io.sparkeras.api.models.Model;
import java.util.Map;

/**
 * Hooks into training, like Keras's {@code keras.callbacks.Callback}. {@code logs} hold the
 * running or final metrics ("loss", "accuracy", "val_loss", ...). Epochs are 0-based. The
 * training loops call the hooks through a {@link CallbackList}.
 *
 * <pre>{@code
 * class PrintLoss extends Callback {
 *   public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *     System.out.println(epoch + ": " + logs.get("loss"));
 *   }
 * }
 * }</pre>
 */
public abstract class Callback {
  private Model model;

  /** Called by fit before training starts. */
  public void setModel(Model model) {
    this.model = model;
  }

  public Model getModel() {
    return model;
  }

  public void onTrainBegin(Map<String, Double> logs) {}

  public void onTrainEnd(Map<String, Double> logs) {}

  public void onEpochBegin(int epoch, Map<String, Double> logs) {}

  public void onEpochEnd(int epoch, Map<String, Double> logs) {}

  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {}

  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {}

  public void onTestBegin(Map<String, Double> logs) {}

  public void onTestEnd(Map<String, Double> logs) {}

  public void onTestBatchBegin(int batch, Map<String, Double> logs) {}

  public void onTestBatchEnd(int batch, Map<String, Double> logs) {}

  public void onPredictBegin(Map<String, Double> logs) {}

  public void onPredictEnd(Map<String, Double> logs) {}

  public void onPredictBatchBegin(int batch, Map<String, Double> logs) {}

  public void onPredictBatchEnd(int batch, Map<String, Double> logs) {}
}
