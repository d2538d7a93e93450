package io.sparkeras.api.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkeras.api.data.Columns;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.preprocessing.FarmHash;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.layers.preprocessing.HostRunner;
import io.sparkeras.api.layers.preprocessing.Normalization;
import io.sparkeras.api.layers.preprocessing.StringLookup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FeatureSpace builds Keras's graph (keras/src/layers/preprocessing/feature_space.py: inputs of
 * shape (1,), one preprocessor per feature, crosses of the preprocessed features, one-hot
 * encoding with the preprocessor's cardinality, features in sorted name order then crosses).
 */
class FeatureSpaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Columns data() {
    return Columns.of("age", new float[] {20, 30, 40, 50})
        .with("job", new String[] {"a", "b", "b", "c"})
        .with("zip", new String[] {"10115", "80331", "10115", "20095"})
        .with("kids", new long[] {0, 1, 2, 1});
  }

  private static FeatureSpace space() {
    return FeatureSpace.builder()
        .feature("age", FeatureSpace.floatNormalized())
        .feature("job", FeatureSpace.stringCategorical())
        .feature("zip", FeatureSpace.stringHashed(8))
        .feature("kids", FeatureSpace.integerCategorical())
        .cross("job", "zip", 16)
        .build();
  }

  @Test
  void encodesRowsLikeKerasComposition() {
    FeatureSpace fs = space().adapt(data());
    KerasTensor out = fs.encodedFeatures();
    // age 1 + job 4 ([UNK], b, c, a) + kids 4 ([UNK], 1, 2, 0) + zip 8 + job_X_zip 16
    assertArrayEquals(new int[] {1 + 4 + 4 + 8 + 16}, out.shape());
    HostPlan plan = HostPlan.of(fs.inputList(), List.of(out)).requireBatchable();
    assertEquals(List.of("age", "job", "zip", "kids"), plan.inputNames());
    assertEquals(1, plan.boundary().size(), "the host concatenates the encoded parts");
    HostRunner run = plan.newRunner(false, 0);
    run.input(0).reset();
    run.input(0).addFloat(30);
    run.input(1).reset();
    run.input(1).addString("c");
    run.input(2).reset();
    run.input(2).addString("10115");
    run.input(3).reset();
    run.input(3).addInt(7);
    run.run();
    float[] all = write(run, plan, 0);
    float[] age = java.util.Arrays.copyOfRange(all, 0, 1);
    Normalization norm = (Normalization) fs.preprocessors().get("age");
    assertEquals((30 - 35) / (float) Math.sqrt(125), age[0], 1e-6);
    assertEquals(norm.mean()[0], 35f);
    assertArrayEquals(new float[] {0, 0, 1, 0}, java.util.Arrays.copyOfRange(all, 1, 5),
        "job c: index 2");
    assertArrayEquals(new float[] {1, 0, 0, 0}, java.util.Arrays.copyOfRange(all, 5, 9),
        "kids 7: OOV");
    float[] zip = java.util.Arrays.copyOfRange(all, 9, 17);
    byte[] b = "10115".getBytes(StandardCharsets.UTF_8);
    int bin = (int) Long.remainderUnsigned(FarmHash.fingerprint64(b, 0, b.length), 8);
    assertEquals(1f, zip[bin]);
    float[] cross = java.util.Arrays.copyOfRange(all, 17, 33);
    long h = FarmHash.fingerprintCat64(FarmHash.fingerprintCat64(0xDECAFCAFFEL, 2), bin);
    assertEquals(1f, cross[(int) Long.remainderUnsigned(h, 16)], "cross of the preprocessed "
        + "job index 2 and zip bin " + bin);
    assertEquals(List.of("[UNK]", "b", "c", "a"),
        ((StringLookup) fs.preprocessors().get("job")).getVocabulary());
  }

  private static float[] write(HostRunner run, HostPlan plan, int b) {
    float[] f = new float[plan.boundarySize(b)];
    run.write(b, f, 0);
    return f;
  }

  @Test
  void configRoundTripsInKerasForm() throws Exception {
    FeatureSpace fs = space();
    Map<String, Object> config = fs.getConfig();
    @SuppressWarnings("unchecked")
    Map<String, Object> json = JSON.readValue(JSON.writeValueAsString(config), Map.class);
    FeatureSpace again = FeatureSpace.fromConfig(json);
    assertEquals(JSON.writeValueAsString(config), JSON.writeValueAsString(again.getConfig()));
    FeatureSpace byName = FeatureSpace.fromConfig(Map.of("features",
        Map.of("a", "float_discretized", "b", "string_hashed"), "crosses",
        List.of(List.of("a", "b")), "num_discretization_bins", 4, "hashing_dim", 8));
    assertEquals(List.of("a", "b"), new java.util.TreeSet<>(byName.columns()).stream().toList());
    assertEquals(1, byName.crosses().size());
    assertEquals(32, byName.crosses().get(0).crossingDim());
  }

  @Test
  void misuseSaysWhatToDo() {
    assertThrows(IllegalStateException.class, () -> space().encodedFeatures(), "adapt first");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureSpace.builder().feature("a", "float").cross("a", "b", 4).build());
    assertTrue(e.getMessage().contains("unknown feature 'b'"), e.getMessage());
    FeatureSpace ints = FeatureSpace.builder()
        .feature("j", FeatureSpace.stringCategorical(null, 1, "int"))
        .feature("a", "float").build().adapt(Columns.of("j", new String[] {"x"})
            .with("a", new float[] {1}));
    IllegalStateException s = assertThrows(IllegalStateException.class, ints::encodedFeatures);
    assertTrue(s.getMessage().contains("\"dict\""), s.getMessage());
    IllegalArgumentException col = assertThrows(IllegalArgumentException.class,
        () -> space().adapt(Columns.of("age", new float[] {1})));
    assertTrue(col.getMessage().contains("no column 'job'"), col.getMessage());
  }
}
