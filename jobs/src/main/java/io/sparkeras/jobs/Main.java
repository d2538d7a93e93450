package io.sparkeras.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.worker.SparkBackend;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The Sparkeras jobs: {@code train}, {@code evaluate}, {@code predict}, {@code summary},
 * {@code dataset} and {@code tune}, run by {@code bin/sparkeras} or by {@code spark-submit} from
 * the shaded jar {@code sparkeras-jobs-VERSION-all.jar}. Every command ends with exactly one JSON line on
 * stdout (also on failure: {@code {"command":...,"error":...,"exit_code":...}}); progress and
 * logs go to stderr.
 *
 * <pre>{@code
 * spark-submit --master spark://host:7077 --class io.sparkeras.jobs.Main sparkeras-jobs-0.1.0-all.jar \
 *   train --model mlp.json --input hdfs://nn/fmnist/train --features features --label label \
 *   --loss sparse_categorical_crossentropy --metrics accuracy --epochs 3 --output hdfs://nn/m.keras
 * }</pre>
 *
 * <p>In-process (tests, notebooks): {@code int code = Main.run(out, err, "summary", "--model",
 * "m.json")} reuses the active SparkSession if there is one and leaves it running.
 *
 * <p>Exit codes: 0 success; 1 the job failed while running; 2 the command line or the input was
 * rejected before any job ran (nothing was written).
 */
@Command(name = "sparkeras", mixinStandardHelpOptions = true, version = "sparkeras-jobs 0.1.0",
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
        SummaryCommand.class, DatasetCommand.class, TuneCommand.class},
    description = "Train, evaluate and apply Sparkeras models on Spark tables, with no Java.")
public final class Main implements Runnable {
  /** Spark's SQL extension of Delta Lake, added to sessions this class creates. */
  public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  /** Delta Lake's session catalog, set on sessions this class creates. */
  public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  static final ObjectMapper JSON = new ObjectMapper();

  final PrintStream out;
  final PrintStream err;
  private SparkSession spark;
  private boolean ownSession;

  @Spec
  CommandSpec spec;

  private Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "expected a command: train, evaluate, predict, summary, dataset or tune");
  }

  /**
   * Runs a command and exits the JVM with its exit code. In YARN's cluster deploy mode, where
   * this runs inside the application master, it returns instead (success) or throws (failure):
   * the application master reports the application's final status when {@code main} ends, and
   * reads a {@code System.exit} before that, even {@code exit(0)}, as a failure.
   */
  public static void main(String[] args) {
    int code = run(System.out, System.err, args);
    if (insideYarnApplicationMaster()) {
      if (code != 0) {
        throw new IllegalStateException("sparkeras " + (args.length > 0 ? args[0] : "")
            + " failed with exit code " + code + " (its JSON line is in the driver's stdout)");
      }
      return;
    }
    System.exit(code);
  }

  /** Spark's YARN application master sets these properties before it calls {@code main}. */
  static boolean insideYarnApplicationMaster() {
    return "cluster".equals(System.getProperty("spark.submit.deployMode"))
        && System.getProperty("spark.yarn.app.id") != null;
  }

  /**
   * Runs a command in this JVM and returns its exit code (0 success, 1 failed while running,
   * 2 rejected before running). The JSON line and any output go to {@code out}, messages to
   * {@code err}. An active SparkSession is reused and left running; a session created here is
   * stopped at the end.
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    Main main = new Main(out, err);
    CommandLine cl = new CommandLine(main);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      String name = c.getCommandSpec().qualifiedName();
      err.println(name + ": " + ex.getMessage());
      err.println("Try '" + name + " --help' for more information.");
      main.failure(c.getCommandName(), JobException.USAGE, ex.getMessage(), -1);
      return JobException.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      int code = ex instanceof JobException ? ((JobException) ex).exitCode() : JobException.FAILED;
      String msg = ex instanceof JobException ? ex.getMessage() : JobException.brief(ex);
      err.println(c.getCommandSpec().qualifiedName() + ": error: " + msg);
      if (!(ex instanceof JobException) || ex.getCause() != null) {
        ex.printStackTrace(err);
      }
      double seconds = c.getCommand() instanceof JobCommand
          ? ((JobCommand) c.getCommand()).elapsedSeconds() : -1;
      main.failure(c.getCommandName(), code, msg, seconds);
      return code;
    });
    try {
      // spark-submit's --conf spark.sparkeras.backend (a system property here), before any model
      SparkBackend.select(new SparkConf());
    } catch (RuntimeException e) {
      String name = args.length > 0 ? args[0] : "sparkeras";
      err.println("sparkeras " + name + ": error: " + e.getMessage());
      main.failure(name, JobException.USAGE, e.getMessage(), -1);
      main.close();
      return JobException.USAGE;
    }
    try {
      return cl.execute(args);
    } finally {
      main.close();
    }
  }

  /**
   * The SparkSession: the active one if any, else a new one with {@code local[*]} as master when
   * {@code spark.master} is unset (spark-submit sets it) and Delta's extension and catalog added
   * to the conf.
   */
  SparkSession session(String appName) {
    if (spark == null) {
      // as Spark's getOrCreate does: a session whose context was stopped is not reused (the
      // thread's active session outlives stop())
      SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
      if (active == null || active.sparkContext().isStopped()) {
        active = SparkSession.getDefaultSession().getOrElse(() -> null);
      }
      if (active != null && active.sparkContext().isStopped()) {
        active = null;
      }
      if (active != null) {
        spark = active;
      } else {
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (!conf.contains("spark.master")) {
          b.master("local[*]");
        }
        String ext = conf.get("spark.sql.extensions", "");
        if (!ext.contains(DELTA_EXTENSION)) {
          b.config("spark.sql.extensions", ext.isBlank() ? DELTA_EXTENSION
              : ext + "," + DELTA_EXTENSION);
        }
        if (!conf.contains("spark.sql.catalog.spark_catalog")) {
          b.config("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
        }
        spark = b.getOrCreate();
        ownSession = true;
      }
    }
    return spark;
  }

  /** Prints the JSON line. */
  void printJson(Map<String, Object> line) {
    try {
      out.println(JSON.writeValueAsString(line));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON line: " + e.getMessage(), e);
    }
  }

  private void failure(String command, int code, String message, double seconds) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("command", command);
    line.put("error", message);
    line.put("exit_code", code);
    if (seconds >= 0) {
      line.put("seconds", seconds);
    }
    printJson(line);
  }

  private void close() {
    if (spark != null && ownSession) {
      spark.stop();
    }
    spark = null;
  }
}
