package io.sparkeras.api.models;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.optimizers.Adam;
import org.junit.jupiter.api.Test;

class BadInputTest {

  private static Sequential compiled() {
    Sequential m = new Sequential(Input.of(4), new Dense(3).activation("softmax"));
    m.compile(new Adam(), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    return m;
  }

  @Test
  void wrongInputShapeNamesExpectedAndFound() {
    NDArray x = NDArray.of(new float[10 * 5], 10, 5);
    NDArray y = NDArray.of(new float[10], 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compiled().fit(x, y, FitOptions.epochs(1).verbose(0)));
    assertTrue(e.getMessage().contains("expected samples of shape (None, 4)")
        && e.getMessage().contains("found (None, 5)"), e.getMessage());
  }

  @Test
  void labelOutOfRangeNamesTheSampleAndTheRange() {
    NDArray x = NDArray.of(new float[4 * 4], 4, 4);
    NDArray y = NDArray.of(new float[] {0, 1, 3, 2}, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compiled().fit(x, y, FitOptions.epochs(1).batchSize(4).shuffle(false).verbose(0)));
    assertTrue(e.getMessage().contains("sample 2") && e.getMessage().contains("[0, 3)")
        && e.getMessage().contains("3.0"), e.getMessage());
  }

  @Test
  void nanInDataNamesTheSample() {
    float[] data = new float[6 * 4];
    data[4 * 5 + 1] = Float.NaN;
    NDArray x = NDArray.of(data, 6, 4);
    NDArray y = NDArray.of(new float[6], 6);
    Sequential m = compiled();
    float[] before = m.getFlatWeights();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.fit(x, y, FitOptions.epochs(1).verbose(0)));
    assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("sample 5"),
        e.getMessage());
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, m.getFlatWeights(),
        "nothing was trained on bad data");
    assertThrows(IllegalArgumentException.class, () -> m.predict(x));
  }

  @Test
  void unknownLayerInJsonNamesItAndTheKnownOnes() {
    String json = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 3]}},"
        + "{\"class_name\": \"Densse\", \"config\": {\"units\": 2}}]}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.fromJson(json));
    assertTrue(e.getMessage().contains("Densse") && e.getMessage().contains("Dense"),
        e.getMessage());
  }

  @Test
  void missingConfigKeyNamesLayerAndKey() {
    String json = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 3]}},"
        + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"unitz\": 2}}]}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.fromJson(json));
    assertTrue(e.getMessage().contains("units") && e.getMessage().contains("Dense"),
        e.getMessage());
  }
}
