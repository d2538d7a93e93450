package io.sparkeras.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of {@link Main}: exit code, stdout, stderr and the final JSON line. */
final class JobRun {
  final int exitCode;
  final String out;
  final String err;
  final JsonNode json;

  private JobRun(int exitCode, String out, String err) throws Exception {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
    String[] lines = out.strip().split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("{"), "stdout must end with the JSON line, found: " + out);
    this.json = new ObjectMapper().readTree(last);
  }

  static JobRun of(String... args) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      code = Main.run(out, err, args);
    }
    JobRun r = new JobRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    System.err.print(r.err);
    System.err.println("[" + String.join(" ", args) + "] -> " + code + " " + r.json);
    return r;
  }

  /** The message of a failed run (its JSON line's "error"). */
  String error() {
    return json.path("error").asText();
  }
}
