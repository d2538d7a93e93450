package io.sparkeras.driver;

import io.sparkeras.ps.Compression;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.ColumnSpec;
import io.sparkeras.worker.RawColumnSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkConf;

/**
 * Every setting of a distributed fit, in one table: one name, one default and one validator per
 * setting, shared by the Spark conf keys ({@code spark.sparkeras.*}), the {@code train} job's
 * flags, the Spark ML params of {@code KerasEstimator} and the fluent setters of
 * {@link SparkTrainer}. docs/configuration.md lists the same table (a test holds them equal).
 *
 * <p>Each row is a typed {@link Setting} (like Spark's own {@code ConfigEntry}, or an Aeron
 * {@code Context}'s {@code *_PROP_NAME} / {@code *_DEFAULT} pair) that knows its names, its
 * default, how to read its text form and how to check a value; an error names the setting the
 * way its caller spelled it ({@link Via}). A value is checked once, where it comes in (a conf
 * string in {@link #fromConf}, {@link #set}); {@link #conclude()} checks the settings that
 * depend on each other and derives the {@link SyncMode}.
 *
 * <pre>{@code
 * TrainerSettings s = TrainerSettings.fromConf(spark.sparkContext().getConf())
 *     .set(TrainerSettings.WORKERS, 4).mode(SyncMode.async(2));
 * int workers = s.conclude().get(TrainerSettings.WORKERS);
 * // a flag's value, checked and named as the user wrote it: "--workers: expected >= 1, found 0"
 * TrainerSettings.WORKERS.check(0, Via.CLI);
 * }</pre>
 */
public final class TrainerSettings {

  /** How a caller names a setting in its error messages. */
  public enum Via {
    /** The Spark conf key, e.g. {@code spark.sparkeras.workers} (also SparkTrainer's setters). */
    CONF,
    /** The {@code train} job's flag, e.g. {@code --workers}. */
    CLI,
    /** The Spark ML param, e.g. {@code workers}. */
    PARAM
  }

  /** Reads a setting's text form into a value (unchecked: {@link Setting#parse} checks it). */
  public interface Reader<T> {
    T read(Setting<T> setting, String text, Via via);
  }

  /** Checks a value; throws {@link Setting#invalid} when it is not allowed. */
  public interface Checker<T> {
    void check(Setting<T> setting, T value, Via via);
  }

  /**
   * One row of the table.
   *
   * @param name SparkTrainer's setter and KerasEstimator's param ({@code workers})
   * @param key the Spark conf key ({@code spark.sparkeras.workers}), or null when there is none
   * @param flag the {@code train} flag ({@code --workers}), or null when there is none
   * @param isParam whether KerasEstimator has it as a param
   * @param defaultText the default as docs/configuration.md writes it
   * @param doc what it means
   */
  public record Setting<T>(int index, String name, String key, String flag, boolean isParam,
      T defaultValue, String defaultText, String doc, Reader<T> reader, Checker<T> checker) {

    /** The name a caller's error message uses. */
    public String label(Via via) {
      String l = via == Via.CLI ? flag : via == Via.CONF ? key : null;
      return l != null ? l : name;
    }

    /** {@code value} when allowed, else an error naming this setting as {@code via} does. */
    public T check(T value, Via via) {
      checker.check(this, value, via);
      return value;
    }

    /** The checked value of a text form (a conf value, a flag). */
    public T parse(String text, Via via) {
      return check(reader.read(this, text, via), via);
    }

    /** An {@link IllegalArgumentException} "label: expected ..., found ...". */
    public IllegalArgumentException invalid(Via via, String expected, Object found) {
      return new IllegalArgumentException(label(via) + ": expected " + expected + ", found "
          + found);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Setting<?>> ROWS = new ArrayList<>();
  private static final String KEY = "spark.sparkeras.";

  private static <T> Setting<T> row(String name, String key, String flag, boolean param,
      T dflt, String defaultText, String doc, Reader<T> reader, Checker<T> checker) {
    Setting<T> s = new Setting<>(ROWS.size(), name, key, flag, param, dflt, defaultText, doc,
        reader, checker);
    ROWS.add(s);
    return s;
  }

  /** An integer setting whose values are at least {@code min}. */
  private static Setting<Integer> atLeast(String name, String key, String flag, boolean param,
      int dflt, int min, String doc) {
    return row(name, key, flag, param, dflt, String.valueOf(dflt), doc, TrainerSettings::integer,
        (s, v, via) -> {
          if (v < min) {
            throw s.invalid(via, ">= " + min, v);
          }
        });
  }

  private static Integer integer(Setting<Integer> s, String text, Via via) {
    return parsed(Integer::valueOf, "an integer").read(s, text, via);
  }

  /** {@code 0=1.0,1=5} as class weights. */
  private static Map<Integer, Double> classWeights(Setting<Map<Integer, Double>> s, String text,
      Via via) {
    Map<Integer, Double> m = new java.util.TreeMap<>();
    for (String kv : text.split(",")) {
      if (kv.isBlank()) {
        continue;
      }
      String[] p = kv.split("=");
      try {
        m.put(Integer.valueOf(p[0].trim()), Double.valueOf(p[1].trim()));
      } catch (RuntimeException e) {
        throw s.invalid(via, "class=weight pairs, e.g. 0=1,1=5", "'" + text + "'");
      }
    }
    return m;
  }

  /** A reader of numbers: an unparsable text is "expected {@code expected}, found 'text'". */
  private static <T> Reader<T> parsed(java.util.function.Function<String, T> parse,
      String expected) {
    return (s, text, via) -> {
      try {
        return parse.apply(text.trim());
      } catch (NumberFormatException e) {
        throw s.invalid(via, expected, "'" + text + "'");
      }
    };
  }

  private static Setting<Boolean> bool(String name, String key, String flag, boolean dflt,
      String doc) {
    return bool(name, key, flag, false, dflt, doc);
  }

  private static Setting<Boolean> bool(String name, String key, String flag, boolean param,
      boolean dflt, String doc) {
    return row(name, key, flag, param, dflt, String.valueOf(dflt), doc, (s, text, via) -> {
      String v = text.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw s.invalid(via, "true or false", "'" + text + "'");
      }
      return v.equals("true");
    }, (s, v, via) -> Objects.requireNonNull(v, s.name()));
  }

  /** A string setting that must not be blank ({@code nullable}: null means unset). */
  private static Setting<String> text(String name, String key, String flag, boolean param,
      String dflt, String defaultText, boolean nullable, String doc) {
    return row(name, key, flag, param, dflt, defaultText, doc, (s, t, via) -> t.trim(),
        (s, v, via) -> {
          if (v == null ? !nullable : v.isBlank()) {
            throw s.invalid(via, name.endsWith("Col") ? "a column name" : "a non-blank value",
                v == null ? "null" : "'" + v + "'");
          }
        });
  }

  // ---- how the workers train -------------------------------------------------------------------

  /** Default number of workers. */
  public static final int WORKERS_DEFAULT = 2;
  /** Data-parallel workers: barrier tasks, one partition each. */
  public static final Setting<Integer> WORKERS = atLeast("workers", KEY + "workers", "--workers",
      true, WORKERS_DEFAULT, 1, "data-parallel workers: barrier tasks per epoch, one partition "
          + "each (needs that many free task slots)");
  /** Default mode. */
  public static final String MODE_DEFAULT = "sync";
  /** {@code sync}, {@code async} or {@code averaging} ({@code async:S}, {@code averaging:K}). */
  public static final Setting<String> MODE = text("mode", KEY + "mode", "--mode", true,
      MODE_DEFAULT, MODE_DEFAULT, false, "how the workers synchronise: sync, async or averaging; "
          + "async:S and averaging:K also set staleness and averageEvery");
  /** Default staleness bound of async mode. */
  public static final int STALENESS_DEFAULT = SyncMode.STALENESS_DEFAULT;
  /** Async mode: pushes a worker may run ahead of the slowest. */
  public static final Setting<Integer> STALENESS = atLeast("staleness", KEY + "staleness",
      "--staleness", true, STALENESS_DEFAULT, 0,
      "async mode: pushes a worker may run ahead of the slowest (>= 0)");
  /** Default averaging interval. */
  public static final int AVERAGE_EVERY_DEFAULT = SyncMode.AVERAGE_EVERY_DEFAULT;
  /** Averaging mode: steps between weight averages. */
  public static final Setting<Integer> AVERAGE_EVERY = atLeast("averageEvery",
      KEY + "averageEvery", "--average-every", true, AVERAGE_EVERY_DEFAULT, 1,
      "averaging mode: steps between weight averages (>= 1)");
  /** Default epochs (Keras's {@code fit}). */
  public static final int EPOCHS_DEFAULT = 1;
  /** Passes over the data (a fit option: {@code FitOptions.epochs} in Java). */
  public static final Setting<Integer> EPOCHS = atLeast("epochs", null, "--epochs", true,
      EPOCHS_DEFAULT, 1, "passes over the data (FitOptions.epochs in Java)");
  /** Default global batch size (Keras's {@code fit}). */
  public static final int BATCH_SIZE_DEFAULT = 32;
  /** Global batch size, split over the workers. */
  public static final Setting<Integer> BATCH_SIZE = atLeast("batchSize", null, "--batch-size",
      true, BATCH_SIZE_DEFAULT, 1, "global batch size, split over the workers; a multiple of "
          + "workers in sync mode (FitOptions.batchSize in Java)");
  /** Hadoop path of the per-epoch checkpoints. */
  public static final Setting<String> CHECKPOINT_DIR = text("checkpointDir",
      KEY + "checkpointDir", "--checkpoint-dir", false, null, "none", true,
      "Hadoop path where a checkpoint is written after every epoch");
  /** Continue from the newest checkpoint. */
  public static final Setting<Boolean> RESUME = bool("resume", null, "--resume", false,
      "continue from the newest checkpoint in checkpointDir, at its next epoch");
  /** Rows that cannot be read: fail or skip. */
  public static final Setting<BadRowPolicy> BAD_ROWS = row("badRows", KEY + "badRows", null,
      false, BadRowPolicy.FAIL, "fail",
      "rows with a null, the wrong width, NaN or infinity: fail the fit, or skip and count them",
      (s, t, via) -> {
        String v = t.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("fail") && !v.equals("skip")) {
          throw s.invalid(via, "fail or skip", "'" + t + "'");
        }
        return v.equals("skip") ? BadRowPolicy.SKIP : BadRowPolicy.FAIL;
      }, (s, v, via) -> Objects.requireNonNull(v, s.name()));
  /** Whether rows are shuffled every epoch (Keras's {@code fit(shuffle=True)}). */
  public static final Setting<Boolean> SHUFFLE = bool("shuffle", null, "--shuffle", true, true,
      "rows in a fresh seeded order every epoch, dealt to the workers once by a seeded "
          + "permutation; false: in the DataFrame's order (FitOptions.shuffle in Java)");
  /** Fraction of the rows held out for validation. */
  public static final Setting<Double> VALIDATION_SPLIT = row("validationSplit", null,
      "--validation-split", false, 0.0, "0", "fraction of the rows held out for validation, "
          + "picked by a seeded permutation of the row indexes (FitOptions.validationSplit in "
          + "Java)", parsed(Double::valueOf, "a fraction in [0, 1)"), (s, v, via) -> {
            if (v == null || !(v >= 0 && v < 1)) {
              throw s.invalid(via, "a fraction in [0, 1)", v);
            }
          });
  /** Seed of the row order, the deal and the validation split. */
  public static final Setting<Long> SEED = row("seed", KEY + "seed", "--seed", true, null,
      "none: drawn from Sparkeras's random seed", "seed of the row order (the deal to the "
          + "workers, every epoch's order) and of the validation split; also the backend's seed "
          + "in each task (dropout)", parsed(Long::valueOf, "an integer"), (s, v, via) -> { });
  /** A null in a raw column read by preprocessing layers: fail, or a missing value. */
  public static final Setting<RawColumnSpec.NullPolicy> NULLS = row("nulls", KEY + "nulls", null,
      false, RawColumnSpec.NullPolicy.FAIL, "fail",
      "a null (or NaN) in a raw column a model's preprocessing layers read: the row is bad "
          + "(badRows says fail or skip), or a missing value the layers map as Keras does "
          + "(OOV or mask index, 0 for numbers)",
      (s, t, via) -> {
        String v = t.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("fail") && !v.equals("missing")) {
          throw s.invalid(via, "fail or missing", "'" + t + "'");
        }
        return v.equals("missing") ? RawColumnSpec.NullPolicy.MISSING
            : RawColumnSpec.NullPolicy.FAIL;
      }, (s, v, via) -> Objects.requireNonNull(v, s.name()));
  /** Default batch size of distributed evaluate and predict. */
  public static final int SCORING_BATCH_SIZE_DEFAULT = 256;
  /** Batch size of distributed evaluate and predict. */
  public static final Setting<Integer> SCORING_BATCH_SIZE = atLeast("scoringBatchSize",
      KEY + "scoringBatchSize", null, true, SCORING_BATCH_SIZE_DEFAULT, 1,
      "batch size of validation, evaluate and predict on the executors");

  // ---- columns ---------------------------------------------------------------------------------

  /** Features column, or several numeric columns (one float each), or input=column each. */
  public static final Setting<List<String>> FEATURES_COL = row("featuresCol", null,
      "--features", true, List.of("features"), "features",
      "features column, or several numeric columns (one float each); several inputs: "
          + "input=column for each, by the model's input names",
      (s, t, via) -> Arrays.asList(t.split(",")), (s, v, via) -> {
        if (v.isEmpty() || v.stream().anyMatch(c -> c == null || c.isBlank())) {
          throw s.invalid(via, "column names", v);
        }
      });
  /** Label column, or output=column for each output. */
  public static final Setting<String> LABEL_COL = text("labelCol", null, "--label", true,
      "label", "label", false, "label column; several outputs: output=column for each, by the "
          + "model's output names");
  /** Column of the samples' weights. */
  public static final Setting<String> SAMPLE_WEIGHT_COL = text("sampleWeightCol", null,
      "--sample-weight", true, null, "none", true, "numeric column of each sample's weight in "
          + "the loss and the weighted metrics (Keras's sample_weight)");
  /** Class weights. */
  public static final Setting<Map<Integer, Double>> CLASS_WEIGHT = row("classWeight", null,
      "--class-weight", true, null, "none", "each sample weighs its class's weight (Keras's "
          + "class_weight; one output, class id or arg-max of a one-hot label): "
          + "class=weight,...", TrainerSettings::classWeights, (s, v, via) -> {
            if (v != null) {
              for (Map.Entry<Integer, Double> e : v.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || !Double.isFinite(e.getValue())) {
                  throw s.invalid(via, "class=weight pairs of an integer and a finite number", v);
                }
              }
            }
          });
  /** Prediction column. */
  public static final Setting<String> PREDICTION_COL = text("predictionCol", null, null, true,
      "prediction", "prediction", false,
      "column predict adds (several outputs: name_0, name_1, ...)");

  // ---- the parameter server --------------------------------------------------------------------

  /** Address the embedded parameter server binds. */
  public static final Setting<String> PS_HOST = text("psHost", KEY + "ps.host", null, false,
      "127.0.0.1", "spark.driver.host, else 127.0.0.1", false,
      "address the embedded parameter server binds");
  /** UDP port of the parameter server; 0 picks a free one. */
  public static final Setting<Integer> PS_PORT = row("psPort", KEY + "ps.port", null, false, 0,
      "0", "UDP port of the parameter server; 0 picks a free one", TrainerSettings::integer,
      (s, v, via) -> {
        if (v < 0 || v > 65535) {
          throw s.invalid(via, "a port in [0, 65535]", v);
        }
      });
  /** Default parameter-server shards. */
  public static final int PS_SHARDS_DEFAULT = 1;
  /** Parameter-server shards (threads). */
  public static final Setting<Integer> PS_SHARDS = atLeast("psShards", KEY + "ps.shards", null,
      false, PS_SHARDS_DEFAULT, 1, "parameter-server shards, one thread each");
  /** Default client timeout, ms. */
  public static final int PS_TIMEOUT_MS_DEFAULT = 120_000;
  /** How long a worker waits for the server; a sync step waits three times as long. */
  public static final Setting<Integer> PS_TIMEOUT = atLeast("timeout", KEY + "ps.timeoutMs",
      null, false, PS_TIMEOUT_MS_DEFAULT, 1, "ms a worker waits for the parameter server before "
          + "its task fails; a sync step waits 3 times as long for missing workers, so that a "
          + "retried stage can replay");
  /** Default Aeron term length of the fit's channels. */
  public static final int PS_TERM_LENGTH_DEFAULT = 4 * 1024 * 1024;
  /** Aeron term length of every channel. */
  public static final Setting<Integer> PS_TERM_LENGTH = row("psTermLength",
      KEY + "ps.termLength", null, false, PS_TERM_LENGTH_DEFAULT,
      PS_TERM_LENGTH_DEFAULT + " (4 MiB)", "Aeron term length of every channel, a power of two",
      TrainerSettings::integer, (s, v, via) -> {
        if (Integer.bitCount(v) != 1 || v < 64 * 1024 || v > 1024 * 1024 * 1024) {
          throw s.invalid(via, "a power of two in [65536, 1073741824]", v);
        }
      });
  /** Aeron MTU. */
  public static final Setting<Integer> PS_MTU = row("psMtu", KEY + "ps.mtu", null, false,
      ParameterServerContext.MTU_LENGTH_DEFAULT,
      String.valueOf(ParameterServerContext.MTU_LENGTH_DEFAULT),
      "Aeron MTU, a multiple of 32 in [1408, 65504]; 1408 or 8192 on 1500-byte networks",
      TrainerSettings::integer, (s, v, via) -> {
        if (v < 1408 || v > 65504 || v % 32 != 0) {
          throw s.invalid(via, "a multiple of 32 in [1408, 65504]", v);
        }
      });
  /** Workers on the driver's host use shared memory. */
  public static final Setting<Boolean> PS_IPC = bool("ipc", KEY + "ps.ipc", null, true,
      "workers on the driver's host reach the server over shared memory (aeron:ipc) through "
          + "its media driver instead of UDP");
  /** How gradients and parameters travel between workers and the server. */
  public static final Setting<Compression> PS_COMPRESSION = row("psCompression",
      KEY + "ps.compression", null, false, Compression.NONE, "none",
      "none (float32), fp16 or bf16 (half the bytes both ways), or threshold (pushes as +-tau "
          + "indices with residuals, Strom 2015; pulls float32); lossy: a distributed fit then "
          + "differs from the local one",
      (s, t, via) -> {
        String v = t.trim().toUpperCase(Locale.ROOT);
        for (Compression c : Compression.values()) {
          if (c.name().equals(v)) {
            return c;
          }
        }
        throw s.invalid(via, "none, fp16, bf16 or threshold", "'" + t + "'");
      }, (s, v, via) -> Objects.requireNonNull(v, s.name()));
  /** The threshold tau of {@code ps.compression=threshold}. */
  public static final Setting<Double> PS_THRESHOLD = row("psThreshold", KEY + "ps.threshold",
      null, false, (double) ParameterServerContext.THRESHOLD_DEFAULT,
      String.valueOf(ParameterServerContext.THRESHOLD_DEFAULT),
      "tau of ps.compression=threshold: a pushed gradient element is sent as +-tau once its "
          + "residual reaches it", parsed(Double::valueOf, "a number"), (s, v, via) -> {
            if (!(v > 0) || Double.isInfinite(v)) {
              throw s.invalid(via, "a number > 0", v);
            }
          });
  /** Sync and async workers push each layer group's gradient while backward still runs. */
  public static final Setting<Boolean> PS_OVERLAP_PUSH = bool("overlapPush",
      KEY + "ps.overlapPush", null, true, "sync and async workers push the last layers' "
          + "gradients while backward still computes the first layers' (libtorch on a CPU; "
          + "elsewhere the push follows backward)");

  /** Parameter-server nodes of their own ({@code bin/sparkeras ps}) instead of the embedded server. */
  public static final Setting<List<String>> PS_NODES = row("psNodes", KEY + "ps.nodes", null,
      false, null, "none: the server runs in the driver",
      "host:port,... of parameter-server nodes started with bin/sparkeras ps (docs/cluster.md): "
          + "the driver initialises them, the shards are spread over them in this order",
      (s, text, via) -> {
        List<String> nodes = new ArrayList<>();
        for (String n : text.split(",")) {
          if (!n.isBlank()) {
            nodes.add(n.trim());
          }
        }
        return nodes;
      }, (s, v, via) -> {
        if (v != null) {
          if (v.isEmpty()) {
            throw s.invalid(via, "host:port,... (at least one node)", "none");
          }
          for (String n : v) {
            if (!io.sparkeras.ps.protocol.Protocol.isValidEndpoint(n)) {
              throw s.invalid(via, "host:port,... (host names or addresses, ports 1-65535)",
                  "'" + n + "'");
            }
          }
        }
      });
  /** The admin secret file of the parameter-server nodes. */
  public static final Setting<String> PS_SECRET_FILE = text("psSecretFile",
      KEY + "ps.secretFile", null, false, null, "none", true,
      "file holding the admin secret of the ps.nodes (the one given to bin/sparkeras ps "
          + "--secret-file), read on the driver; required with ps.nodes");

  /** Step checkpoints on the nodes, for recovery from a lost node. */
  public static final Setting<Boolean> PS_STEP_CHECKPOINTS = bool("psStepCheckpoints",
      KEY + "ps.stepCheckpoints", null, false, "with ps.nodes, sync mode and a checkpointDir: "
          + "every shard writes its state after every step under checkpointDir/ps-steps, and a "
          + "node that is lost mid-fit and restarted is restored with the others to the newest "
          + "common step (at most one step lost)");

  /** Every setting, in the order of docs/configuration.md. */
  public static final List<Setting<?>> TABLE = Collections.unmodifiableList(new ArrayList<>(ROWS));

  private final Object[] values = new Object[TABLE.size()];
  private SyncMode mode = SyncMode.SYNC;
  private int[] binaryShape;
  private ColumnSpec.BinaryEncoding binaryEncoding = ColumnSpec.BinaryEncoding.UINT8;

  /** The defaults of the table. */
  public TrainerSettings() {
    for (Setting<?> s : TABLE) {
      values[s.index()] = s.defaultValue();
    }
  }

  /** The defaults, overridden by the {@code spark.sparkeras.*} keys of {@code conf}. */
  public static TrainerSettings fromConf(SparkConf conf) {
    TrainerSettings s = new TrainerSettings();
    s.values[PS_HOST.index()] = conf.get("spark.driver.host", PS_HOST.defaultValue());
    for (Setting<?> k : TABLE) {
      String v = k.key() == null ? null : conf.get(k.key(), null);
      if (v != null) {
        s.values[k.index()] = k.parse(v, Via.CONF);
      }
    }
    return s.conclude();
  }

  /**
   * An independent copy (one search's settings handed to each of its fits):
   * {@code SparkTrainer.of(spark, model, settings.copy().set(WORKERS, 4))}.
   */
  public TrainerSettings copy() {
    TrainerSettings c = new TrainerSettings();
    System.arraycopy(values, 0, c.values, 0, values.length);
    c.mode = mode;
    c.binaryShape = binaryShape();
    c.binaryEncoding = binaryEncoding;
    return c;
  }

  /** The value of {@code setting}. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values[setting.index()];
  }

  /** Sets {@code setting}, checked (an error names its conf key, else its name). */
  public <T> TrainerSettings set(Setting<T> setting, T value) {
    values[setting.index()] = setting.check(value, Via.CONF);
    return this;
  }

  /** The mode with its number ({@link SyncMode#async(int)}, ...). */
  public TrainerSettings mode(SyncMode m) {
    values[MODE.index()] = m.toString();
    mode = m;
    return this;
  }

  /**
   * The mode, from {@link #MODE}, {@link #STALENESS} and {@link #AVERAGE_EVERY} as of the last
   * {@link #conclude()}, or as {@link #mode(SyncMode)} set it.
   */
  public SyncMode mode() {
    return mode;
  }

  /** Shape of one sample of a binary feature column, and how its bytes encode floats. */
  public TrainerSettings binaryShape(ColumnSpec.BinaryEncoding encoding, int... shape) {
    binaryEncoding = Objects.requireNonNull(encoding, "encoding");
    binaryShape = shape.clone();
    return this;
  }

  /** The declared sample shape of a binary features column, or null. */
  public int[] binaryShape() {
    return binaryShape == null ? null : binaryShape.clone();
  }

  public ColumnSpec.BinaryEncoding binaryEncoding() {
    return binaryEncoding;
  }

  /**
   * The one parser of the mode settings: {@code mode} ({@code sync}, {@code async},
   * {@code averaging}, or {@code async:S} / {@code averaging:K}) with the {@code staleness} and
   * {@code averageEvery} values, errors named as {@code via} spells the settings.
   */
  public static SyncMode syncMode(String mode, int staleness, int averageEvery, Via via) {
    STALENESS.check(staleness, via);
    AVERAGE_EVERY.check(averageEvery, via);
    try {
      return SyncMode.parse(mode, staleness, averageEvery);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(MODE.label(via) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks the settings that depend on each other (the mode with its number, the term length
   * with the MTU) and derives {@link #mode()}; errors name the conf keys.
   */
  public TrainerSettings conclude() {
    mode = syncMode(get(MODE), get(STALENESS), get(AVERAGE_EVERY), Via.CONF);
    if (get(PS_TERM_LENGTH) / 8 < get(PS_MTU)) {
      throw PS_TERM_LENGTH.invalid(Via.CONF, "at least 8 times " + PS_MTU.key() + " ("
          + get(PS_MTU) + "; Aeron's largest message is a term / 8)", get(PS_TERM_LENGTH));
    }
    if (get(PS_STEP_CHECKPOINTS) && (get(PS_NODES) == null || get(CHECKPOINT_DIR) == null
        || mode.kind() != io.sparkeras.ps.TrainingMode.SYNC)) {
      throw PS_STEP_CHECKPOINTS.invalid(Via.CONF, "false unless " + PS_NODES.key() + " and "
          + CHECKPOINT_DIR.key() + " are set and the mode is sync", true);
    }
    if (get(PS_NODES) != null && get(PS_SECRET_FILE) == null) {
      throw PS_SECRET_FILE.invalid(Via.CONF, "the file of the nodes' admin secret (required "
          + "with " + PS_NODES.key() + ")", "none");
    }
    return this;
  }
}
