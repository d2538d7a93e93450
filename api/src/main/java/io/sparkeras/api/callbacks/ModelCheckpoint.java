package io.sparkeras.api.callbacks;

import io.sparkeras.api.models.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the model at the end of every epoch, or only when a monitored quantity improves, like
 * Keras 3's {@code keras.callbacks.ModelCheckpoint} with {@code save_freq="epoch"}.
 *
 * <p>The file path is a Hadoop path string ({@code /local/dir}, {@code file:/...},
 * {@code hdfs://nn/...}) and may hold Python format fields filled with the 1-based epoch and the
 * epoch's logs, as in Keras: {@code "ckpt/model-{epoch:02d}-{val_loss:.2f}.sparkeras"} becomes
 * {@code ckpt/model-03-0.41.sparkeras}. A field naming a key the logs lack fails with the keys
 * there are. Saving goes through {@link Model#save}, which writes a temporary file and renames it,
 * so a crash never leaves a half-written checkpoint; parent directories are created.
 *
 * <p>With {@link #saveBestOnly} the model is saved only when the monitored value beats the best
 * so far (strictly, with no min_delta, as in Keras) and the {@link #initialValueThreshold} if set;
 * if the monitored key is missing, a warning is logged and the model is saved anyway (Keras does
 * the same).
 *
 * <pre>{@code
 * ModelCheckpoint ckpt = new ModelCheckpoint("hdfs://nn/runs/7/best.sparkeras")
 *     .monitor("val_accuracy")
 *     .saveBestOnly(true);          // mode AUTO: accuracy is maximised
 * model.fit(x, y, FitOptions.epochs(20).validationSplit(0.1).callbacks(ckpt));
 * Model best = Model.load("hdfs://nn/runs/7/best.sparkeras");
 * }</pre>
 *
 * <p>Not supported yet: {@code save_weights_only} and an integer {@code save_freq}.
 */
public class ModelCheckpoint extends MonitorCallback<ModelCheckpoint> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

  private final String filepath;
  private int verbose;
  private boolean saveBestOnly;
  private String saveFreq = "epoch";
  private String lastSaved;

  /**
   * @param filepath where to save, a Hadoop path string, optionally with fields such as
   *     {@code {epoch:02d}} or {@code {val_loss:.4f}}
   */
  public ModelCheckpoint(String filepath) {
    super("ModelCheckpoint", "val_loss");
    if (filepath == null || filepath.isEmpty()) {
      throw new IllegalArgumentException("ModelCheckpoint filepath: expected a path, found "
          + (filepath == null ? "null" : "\"\""));
    }
    // fail now, not after the first epoch, on a malformed template
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("epoch", 1);
    try {
      PyFormat.formatTemplate(filepath, new AnyKey(probe));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ModelCheckpoint filepath: " + e.getMessage(), e);
    }
    this.filepath = filepath;
  }

  /** 0 silent; 1 prints every save and every epoch that did not improve. Default 0. */
  public ModelCheckpoint verbose(int verbose) {
    this.verbose = atLeastZero("verbose", verbose);
    return this;
  }

  /** Saves only when the monitored value improves. Default false: saves every epoch. */
  public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
    this.saveBestOnly = saveBestOnly;
    return this;
  }

  /** Only {@code "epoch"} is supported (the default). */
  public ModelCheckpoint saveFreq(String saveFreq) {
    if (!"epoch".equals(saveFreq)) {
      throw new IllegalArgumentException("ModelCheckpoint save_freq: only \"epoch\" is "
          + "supported, found " + (saveFreq == null ? "null" : "\"" + saveFreq + "\""));
    }
    this.saveFreq = saveFreq;
    return this;
  }

  /** With {@link #saveBestOnly}: the value the first save must beat. Default none. */
  public ModelCheckpoint initialValueThreshold(double threshold) {
    setBaseline(threshold, "initial_value_threshold");
    restartMonitor();
    return this;
  }

  public String getFilepath() {
    return filepath;
  }

  public boolean isSaveBestOnly() {
    return saveBestOnly;
  }

  public String getSaveFreq() {
    return saveFreq;
  }

  /** The path of the last checkpoint written, or null if none yet. */
  public String lastSavedPath() {
    return lastSaved;
  }

  /** The file path for an epoch (0-based) and its logs, with the fields filled in. */
  public String filePathFor(int epoch, Map<String, Double> logs) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (logs != null) {
      values.putAll(logs);
    }
    values.put("epoch", epoch + 1);
    try {
      return PyFormat.formatTemplate(filepath, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ModelCheckpoint: failed to format the filepath at "
          + "epoch " + (epoch + 1) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    reset();
  }

  private void reset() {
    resetMonitor(baselineValue());
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (direction() == null) {
      reset();
    }
    String path = filePathFor(epoch, logs);
    if (!shouldSave(epoch, logs, path)) {
      return;
    }
    Model m = getModel();
    if (m == null) {
      throw new IllegalStateException("ModelCheckpoint: no model; fit() calls setModel(model) "
          + "first");
    }
    try {
      m.save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint: cannot save the model of epoch "
          + (epoch + 1) + " to " + path + ": " + e.getMessage(), e);
    }
    lastSaved = path;
  }

  private boolean shouldSave(int epoch, Map<String, Double> logs, String path) {
    if (!saveBestOnly) {
      if (verbose > 0) {
        System.out.println("Epoch " + (epoch + 1) + ": saving model to " + path);
      }
      return true;
    }
    Double current = monitored(logs);
    if (current == null) {
      LOG.warn("Can save best model only with {} available; saving anyway. Available metrics "
          + "are: {}", getMonitor(), logs == null ? "" : String.join(",", logs.keySet()));
      return true;
    }
    String bestStr = PyFormat.format(best(), ".5f");
    if (isImprovement(current, best())) {
      if (verbose > 0) {
        System.out.println("Epoch " + (epoch + 1) + ": " + getMonitor() + " improved from "
            + bestStr + " to " + PyFormat.format(current, ".5f") + ", saving model to " + path);
      }
      setBest(current);
      return true;
    }
    if (verbose > 0) {
      System.out.println("Epoch " + (epoch + 1) + ": " + getMonitor() + " did not improve from "
          + bestStr);
    }
    return false;
  }

  /** A map that answers 0.0 for every key, to check a template's syntax before training. */
  private static final class AnyKey extends java.util.AbstractMap<String, Object> {
    private final Map<String, Object> known;

    AnyKey(Map<String, Object> known) {
      this.known = known;
    }

    @Override
    public boolean containsKey(Object key) {
      return true;
    }

    @Override
    public Object get(Object key) {
      return known.getOrDefault(key, 0.0);
    }

    @Override
    public java.util.Set<Entry<String, Object>> entrySet() {
      return known.entrySet();
    }
  }
}
