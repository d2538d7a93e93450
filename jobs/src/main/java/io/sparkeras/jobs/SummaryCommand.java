package io.sparkeras.jobs;

import io.sparkeras.api.models.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code summary}: the Keras-style summary of a model document or a saved model. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = {"Prints the Keras-style summary of a model.to_json() document or a saved model.",
        "Ends with a JSON line: {\"command\":\"summary\",\"model\":NAME,\"params\":N,"
            + "\"inputs\":[[...]],\"outputs\":[[...]],\"compiled\":BOOL,\"seconds\":S}."})
final class SummaryCommand extends JobCommand {
  @Option(names = "--model", required = true, paramLabel = "MODEL.json|MODEL_PATH",
      description = "Keras model.to_json() document or saved model.")
  String model;

  @Override
  String name() {
    return "summary";
  }

  @Override
  Map<String, Object> execute() {
    Model m = ModelFiles.load("--model", model, new Configuration(), true);
    main.out.print(m.summaryString());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", m.getName());
    r.put("params", m.getFlatWeights().length);
    r.put("inputs", m.inputShapes());
    r.put("outputs", m.outputShapes());
    r.put("compiled", m.isCompiled());
    return r;
  }
}
