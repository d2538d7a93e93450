package io.sparkeras.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ParentCommand;

/** A subcommand: does its work, then prints one JSON line with "command" and "seconds". */
abstract class JobCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  private long start;

  /** The command's name in the JSON line. */
  abstract String name();

  /** Does the work and returns the JSON line's fields (without "command" and "seconds"). */
  abstract Map<String, Object> execute() throws Exception;

  @Override
  public final Integer call() throws Exception {
    start = System.nanoTime();
    Map<String, Object> result = execute();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("command", name());
    line.putAll(result);
    line.put("seconds", elapsedSeconds());
    main.printJson(line);
    return 0;
  }

  double elapsedSeconds() {
    return start == 0 ? -1 : Math.round((System.nanoTime() - start) / 1e6) / 1e3;
  }

  SparkSession spark() {
    return main.session("sparkeras " + name());
  }
}
