package io.sparkeras.api.tuner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.models.Model;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonHyperModelTest {
  private static final String SPACE = "{\"model\": {\"class_name\": \"Sequential\", \"config\": "
      + "{\"layers\": [{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 4]}},"
      + " {\"class_name\": \"Dense\", \"config\": {\"units\": {\"hp\": \"Int\", \"name\": "
      + "\"units\", \"min_value\": 4, \"max_value\": 16, \"step\": 4}, \"activation\": {\"hp\": "
      + "\"Choice\", \"name\": \"act\", \"values\": [\"relu\", \"tanh\"]}}},"
      + " {\"class_name\": \"Dense\", \"config\": {\"units\": 3, \"activation\": \"softmax\"}}]}},"
      + " \"optimizer\": {\"hp\": \"Choice\", \"name\": \"optimizer\", \"values\": [\"adam\", "
      + "\"sgd\"]}, \"learning_rate\": {\"hp\": \"Float\", \"name\": \"lr\", \"min_value\": 1e-4,"
      + " \"max_value\": 1e-2, \"sampling\": \"log\"}, \"loss\": "
      + "\"sparse_categorical_crossentropy\", \"metrics\": [\"accuracy\"]}";

  @Test
  void theDocumentsSpecsAreTheSpaceAndTheirValuesBuildTheModel() {
    JsonHyperModel hm = JsonHyperModel.parse(SPACE);
    HyperParameters hp = new HyperParameters();
    Model defaults = hm.build(hp);
    assertEquals(List.of("units", "act", "optimizer", "lr"),
        hp.space().stream().map(HyperParameter::name).toList());
    assertEquals(4, ((Dense) defaults.layers().get(defaults.layers().size() - 2)).getConfig().get("units"));
    hp.put("units", 12).put("optimizer", "sgd").put("lr", 0.005);
    Model chosen = hm.build(hp);
    assertEquals(12, ((Dense) chosen.layers().get(chosen.layers().size() - 2)).getConfig().get("units"));
    assertEquals("sgd", chosen.getOptimizer().getConfig().get("name").toString().toLowerCase());
    assertEquals(0.005, ((Number) chosen.getOptimizer().getConfig().get("learning_rate"))
        .doubleValue(), 1e-9);
    assertTrue(chosen.isCompiled());
  }

  @Test
  void errorsNameTheJsonPath() {
    String bad = SPACE.replace("\"step\": 4", "\"step\": 0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonHyperModel.parse(bad));
    assertTrue(e.getMessage().startsWith("$.model.config.layers[1].config.units: Int 'units' "
        + "step: expected a number > 0, found 0"), e.getMessage());
    String kind = SPACE.replace("\"hp\": \"Choice\", \"name\": \"act\"",
        "\"hp\": \"Pick\", \"name\": \"act\"");
    e = assertThrows(IllegalArgumentException.class, () -> JsonHyperModel.parse(kind));
    assertTrue(e.getMessage().startsWith("$.model.config.layers[1].config.activation.hp: "
        + "expected one of Int"), e.getMessage());
  }
}
