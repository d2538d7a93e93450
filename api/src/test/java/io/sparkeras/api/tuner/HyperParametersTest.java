package io.sparkeras.api.tuner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperParametersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void firstAskRegistersAndAnswersTheDefault() {
    HyperParameters hp = new HyperParameters();
    assertEquals(32, hp.intRange("units", 32, 512, 32));
    assertEquals(1e-4, hp.floatRange("lr", 1e-4, 1e-2, Sampling.LOG));
    assertEquals("relu", hp.choice("act", "relu", "gelu"));
    assertFalse(hp.bool("bn"));
    assertEquals(10, hp.fixed("classes", 10));
    assertEquals(List.of("units", "lr", "act", "bn", "classes"),
        hp.space().stream().map(HyperParameter::name).toList());
    hp.put("units", 256);
    assertEquals(256, hp.intRange("units", 32, 512, 32), "a set value wins over the default");
  }

  @Test
  void valuesOutsideTheRangeAreRefusedNamingTheParameter() {
    HyperParameters hp = new HyperParameters();
    hp.intRange("units", 32, 512, 32);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> hp.put("units", 600));
    assertTrue(e.getMessage().contains("units") && e.getMessage().contains("[32, 512]"),
        e.getMessage());
  }

  @Test
  void conditionalScopesMakeParametersActiveOnlyForTheirParentValues() {
    HyperParameters hp = new HyperParameters();
    String model = hp.choice("model", "mlp", "cnn");
    try (HyperParameters.Scope s = hp.conditionalScope("model", "cnn")) {
      assertEquals(16, hp.intRange("filters", 16, 64, 16), "inactive: its default");
    }
    assertEquals("mlp", model);
    assertFalse(hp.isActive("filters"));
    assertFalse(hp.values().containsKey("filters"), "inactive values are not recorded");
    hp.put("model", "cnn");
    assertTrue(hp.isActive("filters"));
    assertEquals(List.of(new Condition("model", List.of("cnn"))),
        hp.parameter("filters").conditions());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> hp.intRange("filters", 16, 64, 16));
    assertTrue(e.getMessage().contains("another name"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> hp.conditionalScope("nope", "x"));
  }

  @Test
  void intFloatChoiceMapToTheUnitIntervalAsKerasTunerDoes() {
    IntParameter units = IntParameter.of("u", 32, 512).step(32);
    assertEquals(16, units.values().size());
    assertEquals(32, units.probToValue(0.0));
    assertEquals(512, units.probToValue(0.999));
    assertEquals(0.5 / 16, units.valueToProb(32), 1e-12);
    IntParameter log = IntParameter.of("b", 2, 32).step(2).sampling(Sampling.LOG);
    assertEquals(List.of(2, 4, 8, 16, 32), log.values());
    IntParameter plain = IntParameter.of("n", 1, 3);
    assertEquals(List.of(1, 2, 3), plain.values());
    assertEquals(3, plain.probToValue(0.99));
    FloatParameter lr = FloatParameter.of("lr", 1e-4, 1e-2).sampling(Sampling.LOG);
    assertEquals(1e-3, (Double) lr.probToValue(0.5), 1e-12);
    assertEquals(0.5, lr.valueToProb(1e-3), 1e-12);
    assertEquals(10, lr.values().size(), "no step: ten values for a grid");
    FloatParameter rev = FloatParameter.of("r", 1, 100).sampling(Sampling.REVERSE_LOG);
    for (double p : new double[] {0.1, 0.5, 0.9}) {
      assertEquals(p, rev.valueToProb(rev.probToValue(p)), 1e-12);
    }
    ChoiceParameter act = ChoiceParameter.of("a", List.of("relu", "gelu", "tanh"));
    assertEquals("gelu", act.probToValue(0.5));
    assertEquals(0.5, act.valueToProb("gelu"), 1e-12);
    assertTrue(ChoiceParameter.of("c", List.of(1, 2)).ordered());
  }

  @Test
  void spaceAndValuesRoundTripThroughKerasTunerJson() throws Exception {
    HyperParameters hp = new HyperParameters();
    hp.intRange("units", 32, 512, 32);
    hp.value(FloatParameter.of("lr", 1e-4, 1e-2).sampling(Sampling.LOG).defaultValue(1e-3));
    hp.choice("model", "mlp", "cnn");
    try (HyperParameters.Scope s = hp.conditionalScope("model", "cnn")) {
      hp.intRange("filters", 16, 64, 16);
    }
    hp.choice("batch", 32, 64);
    hp.bool("bn", true);
    hp.fixed("classes", "ten");
    hp.put("units", 64);
    String text = JSON.writeValueAsString(hp.toJson());
    HyperParameters back = HyperParameters.fromJson(JSON.readValue(text, Map.class), "$");
    assertEquals(text, JSON.writeValueAsString(back.toJson()));
    assertEquals(64, back.getInt("units"));
    assertEquals(1e-3, back.getDouble("lr"));
    assertFalse(back.isActive("filters"));
  }

  @Test
  void badSpaceJsonNamesThePathOfTheBadValue() throws Exception {
    String bad = "{\"space\": [{\"class_name\": \"Int\", \"config\": {\"name\": \"u\", "
        + "\"min_value\": 32, \"max_value\": \"lots\"}}], \"values\": {}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HyperParameters.fromJson(JSON.readValue(bad, Map.class), "$"));
    assertEquals("$.space[0].config.max_value: expected a whole number, found 'lots'",
        e.getMessage());
    String typo = "{\"space\": [{\"class_name\": \"Float\", \"config\": {\"name\": \"lr\", "
        + "\"min_value\": 0.1, \"max_value\": 1, \"smapling\": \"log\"}}]}";
    e = assertThrows(IllegalArgumentException.class,
        () -> HyperParameters.fromJson(JSON.readValue(typo, Map.class), "$"));
    assertTrue(e.getMessage().startsWith("$.space[0].config.smapling: unknown key"),
        e.getMessage());
    String log0 = "{\"space\": [{\"class_name\": \"Float\", \"config\": {\"name\": \"lr\", "
        + "\"min_value\": 0, \"max_value\": 1, \"sampling\": \"log\"}}]}";
    e = assertThrows(IllegalArgumentException.class,
        () -> HyperParameters.fromJson(JSON.readValue(log0, Map.class), "$"));
    assertTrue(e.getMessage().startsWith("$.space[0].config: Float 'lr': log sampling needs "
        + "min_value > 0"), e.getMessage());
    String kind = "{\"space\": [{\"class_name\": \"Integer\", \"config\": {\"name\": \"u\"}}]}";
    e = assertThrows(IllegalArgumentException.class,
        () -> HyperParameters.fromJson(JSON.readValue(kind, Map.class), "$"));
    assertTrue(e.getMessage().startsWith("$.space[0].class_name: expected one of Int"),
        e.getMessage());
  }
}
