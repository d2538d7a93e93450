package io.sparkeras.api.tuner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search space written as JSON, no Java needed (the {@code tune} job's {@code --space}): a
 * Keras {@code model.to_json()} document in which any value may be a hyperparameter spec, plus
 * the optimizer, learning rate, loss and metrics, which may be specs too. A spec is an object
 * with {@code "hp"} (KerasTuner's class name: Int, Float, Choice, Boolean, Fixed) and that
 * class's settings; specs with the same name share one value.
 *
 * <pre>{@code
 * {
 *   "model": {"class_name": "Sequential", "config": {"layers": [
 *     {"class_name": "InputLayer", "config": {"batch_shape": [null, 784]}},
 *     {"class_name": "Dense", "config": {"units": {"hp": "Int", "name": "units",
 *         "min_value": 32, "max_value": 512, "step": 32}, "activation": "relu"}},
 *     {"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}]}},
 *   "optimizer": {"hp": "Choice", "name": "optimizer", "values": ["adam", "sgd"]},
 *   "learning_rate": {"hp": "Float", "name": "lr", "min_value": 1e-4, "max_value": 1e-2,
 *       "sampling": "log"},
 *   "loss": "sparse_categorical_crossentropy",
 *   "metrics": ["accuracy"]
 * }
 * }</pre>
 *
 * <p>{@link #parse} checks every spec and the settings up front; errors name the JSON path of
 * the bad value, e.g. {@code $.model.config.layers[1].config.units.max_value: expected a whole
 * number, found 'lots'}. A spec may carry KerasTuner's {@code conditions} (a list of
 * {@code {"class_name": "Parent", "config": {"name", "values"}}}).
 */
public final class JsonHyperModel implements HyperModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEYS =
      List.of("model", "optimizer", "learning_rate", "loss", "metrics");

  private final Map<String, Object> document;

  private JsonHyperModel(Map<String, Object> document) {
    this.document = document;
  }

  /** Parses and checks a search-space document. */
  @SuppressWarnings("unchecked")
  public static JsonHyperModel parse(String json) {
    Object doc;
    try {
      doc = JSON.readValue(json, Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("$: not a JSON document: "
          + e.getOriginalMessage(), e);
    }
    Map<String, Object> m = JsonValues.map(doc, "$");
    for (String k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("$." + k + ": unknown key; expected one of " + KEYS);
      }
    }
    JsonValues.map(m.get("model"), "$.model");
    if (m.get("loss") == null) {
      throw new IllegalArgumentException("$.loss: expected a Keras loss name, found nothing");
    }
    collect(m, "$", new LinkedHashMap<>());
    return new JsonHyperModel(m);
  }

  /** Every spec in the document by name; a name with two different specs is an error. */
  private static void collect(Object v, String path, Map<String, HyperParameter> seen) {
    if (v instanceof Map) {
      Map<String, Object> m = JsonValues.map(v, path);
      if (m.containsKey("hp")) {
        HyperParameter hp = spec(m, path);
        HyperParameter before = seen.putIfAbsent(hp.name(), hp);
        if (before != null && !before.toJson().equals(hp.toJson())) {
          throw new IllegalArgumentException(path + ": hyperparameter '" + hp.name()
              + "' is already defined differently (" + before + ")");
        }
        return;
      }
      for (Map.Entry<String, Object> e : m.entrySet()) {
        collect(e.getValue(), path + "." + e.getKey(), seen);
      }
    } else if (v instanceof List) {
      List<Object> l = JsonValues.list(v, path);
      for (int i = 0; i < l.size(); i++) {
        collect(l.get(i), path + "[" + i + "]", seen);
      }
    }
  }

  private static HyperParameter spec(Map<String, Object> m, String path) {
    Map<String, Object> config = new LinkedHashMap<>(m);
    Object cls = config.remove("hp");
    Map<String, Object> wrapped = new LinkedHashMap<>();
    wrapped.put("class_name", JsonValues.string(cls, path + ".hp"));
    wrapped.put("config", config);
    try {
      return HyperParameter.fromJson(wrapped, path);
    } catch (IllegalArgumentException e) {
      // fromJson names ".config.<key>" and ".class_name": the document's keys are flat
      throw new IllegalArgumentException(e.getMessage().replace(path + ".config", path)
          .replace(path + ".class_name", path + ".hp"), e);
    }
  }

  @Override
  public Model build(HyperParameters hp) {
    Map<String, Object> resolved = JsonValues.map(resolve(document, "$", hp), "$");
    Model model;
    try {
      model = Model.fromJson(JSON.writeValueAsString(resolved.get("model")));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Object lr = resolved.get("learning_rate");
    Map<String, Object> optConfig = lr == null ? Map.of()
        : Map.of("learning_rate", JsonValues.number(lr, "$.learning_rate"));
    Object opt = resolved.get("optimizer");
    Optimizer optimizer = Optimizer.REGISTRY.create(opt == null ? "adam"
        : JsonValues.string(opt, "$.optimizer"), optConfig);
    Loss loss = Loss.REGISTRY.deserialize(JsonValues.string(resolved.get("loss"), "$.loss"));
    List<Metric> metrics = new ArrayList<>();
    Object ms = resolved.get("metrics");
    if (ms != null) {
      List<Object> names = JsonValues.list(ms, "$.metrics");
      for (int i = 0; i < names.size(); i++) {
        metrics.add(Metrics.get(JsonValues.string(names.get(i), "$.metrics[" + i + "]")));
      }
    }
    int outputs = Math.max(1, model.outputShapes().size());
    model.compile(optimizer, Collections.nCopies(outputs, loss), metrics);
    return model;
  }

  /** The document with every spec replaced by hp's value for it. */
  private static Object resolve(Object v, String path, HyperParameters hp) {
    if (v instanceof Map) {
      Map<String, Object> m = JsonValues.map(v, path);
      if (m.containsKey("hp")) {
        HyperParameter spec = spec(m, path);
        return valueInScopes(hp, spec, spec.conditions(), 0);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : m.entrySet()) {
        out.put(e.getKey(), resolve(e.getValue(), path + "." + e.getKey(), hp));
      }
      return out;
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      List<Object> l = JsonValues.list(v, path);
      for (int i = 0; i < l.size(); i++) {
        out.add(resolve(l.get(i), path + "[" + i + "]", hp));
      }
      return out;
    }
    return v;
  }

  private static Object valueInScopes(HyperParameters hp, HyperParameter spec,
      List<Condition> conditions, int i) {
    if (i == conditions.size()) {
      return hp.value(spec.conditions(List.of()));
    }
    Condition c = conditions.get(i);
    try (HyperParameters.Scope s = hp.conditionalScope(c.parent(), c.values().toArray())) {
      return valueInScopes(hp, spec, conditions, i + 1);
    }
  }
}
