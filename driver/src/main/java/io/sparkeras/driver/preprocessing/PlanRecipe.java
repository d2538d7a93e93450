package io.sparkeras.driver.preprocessing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.utils.FeatureSpace;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What an executor rebuilds a {@link HostPlan} from: a FeatureSpace's Keras config or a model's
 * JSON (the same text that saves it), never the driver's objects. Plans built from the same
 * recipe number their steps alike, so an adapt state made on an executor finishes the driver's
 * layer of the same step.
 */
final class PlanRecipe implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean featureSpace;
  private final String json;

  private PlanRecipe(boolean featureSpace, String json) {
    this.featureSpace = featureSpace;
    this.json = json;
  }

  static PlanRecipe of(FeatureSpace fs) {
    try {
      return new PlanRecipe(true, JSON.writeValueAsString(fs.getConfig()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PlanRecipe of(Model model) {
    return new PlanRecipe(false, model.toJson());
  }

  /** A fresh plan with fresh (unadapted) layers. */
  @SuppressWarnings("unchecked")
  HostPlan plan() {
    if (!featureSpace) {
      Model m = Model.fromJson(json);
      return HostPlan.of(m.inputs(), m.outputs());
    }
    try {
      return FeatureSpace.fromConfig(JSON.readValue(json, Map.class)).plan();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
