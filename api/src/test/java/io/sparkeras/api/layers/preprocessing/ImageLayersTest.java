package io.sparkeras.api.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image layers against real Keras 3.10 (numpy backend, make_preprocessing.py): Resizing and
 * CenterCrop outputs; for each augmentation layer, Keras's recorded random draws applied here
 * must give Keras's output, and inference must leave the image unchanged.
 */
class ImageLayersTest {

  @Test
  void resizingAndCenterCropMatchKeras() {
    for (String name : List.of("resizing_bilinear", "resizing_nearest", "resizing_bicubic",
        "resizing_lanczos3", "resizing_up", "resizing_antialias", "resizing_crop_aspect",
        "resizing_pad_aspect", "center_crop", "center_crop_smart_resize")) {
      KerasPreprocessingCases.Case c = KerasPreprocessingCases.get(name);
      PreprocessingLayer layer = c.layer();
      c.assertOutputs(c.encode(layer, false), 2e-5);
      c.assertConfig(layer);
    }
  }

  private static float[] row(JsonNode array, int i, int per) {
    KerasPreprocessingCases.Array a = KerasPreprocessingCases.Array.of(array);
    float[] f = new float[per];
    for (int k = 0; k < per; k++) {
      f[k] = (float) a.values()[i * per + k];
    }
    return f;
  }

  /** Applies Keras's recorded draw for each image with {@code apply}, compares outputs. */
  private static void checkDraws(String name, Transform apply) {
    KerasPreprocessingCases.Case c = KerasPreprocessingCases.get(name);
    RandomImageLayer layer = (RandomImageLayer) c.layer();
    c.assertConfig(layer);
    KerasPreprocessingCases.Array in = c.input();
    List<HostValue> outs = new ArrayList<>();
    for (int i = 0; i < in.samples(); i++) {
      HostValue out = new HostValue(HostValue.Kind.FLOAT);
      apply.apply(layer, in.sample(i), out, c.transformation(), i);
      outs.add(out);
    }
    c.assertOutputs(outs, 2e-5);
    KerasPreprocessingCases.Case inference = KerasPreprocessingCases.get(name + "_inference");
    inference.assertOutputs(inference.encode(layer, false), 0);
  }

  interface Transform {
    void apply(RandomImageLayer layer, HostValue in, HostValue out, JsonNode t, int i);
  }

  @Test
  void randomFlipAppliesKerasDraws() {
    Transform flip = (l, in, out, t, i) -> ((RandomFlip) l).flip(in, out,
        row(t.get("flips"), i, 1)[0] != 0);
    checkDraws("random_flip", flip);
    checkDraws("random_flip_horizontal", flip);
  }

  @Test
  void randomRotationAppliesKerasDraws() {
    for (String fill : List.of("reflect", "wrap", "nearest", "constant", "nearest_interp")) {
      checkDraws("random_rotation_" + fill, (l, in, out, t, i) -> {
        float[] keras = row(t.get("rotation_matrix"), i, 8);
        float[] ours = new float[6];
        RandomRotation.matrix(row(t.get("angle"), i, 1)[0], in.dim(0), in.dim(1), ours);
        for (int k = 0; k < 6; k++) {
          assertEquals(keras[k], ours[k], 2e-6 * Math.max(1, Math.abs(keras[k])),
              "rotation matrix entry " + k);
        }
        ((AffineImageLayer) l).apply(in, out, keras);
      });
    }
  }

  @Test
  void randomZoomAndTranslationApplyKerasDraws() {
    for (String name : List.of("random_zoom", "random_zoom_wh")) {
      checkDraws(name, (l, in, out, t, i) -> {
        float[] m = new float[6];
        RandomZoom.matrix(row(t.get("height_zoom"), i, 1)[0], row(t.get("width_zoom"), i, 1)[0],
            in.dim(0), in.dim(1), m);
        ((AffineImageLayer) l).apply(in, out, m);
      });
    }
    checkDraws("random_translation", (l, in, out, t, i) -> {
      float[] xy = row(t.get("translations"), i, 2); // [width shift, height shift]
      float[] m = new float[6];
      RandomTranslation.matrix(xy[1], xy[0], m);
      ((AffineImageLayer) l).apply(in, out, m);
    });
  }

  @Test
  void randomContrastBrightnessAndCropApplyKerasDraws() {
    checkDraws("random_contrast", (l, in, out, t, i) -> ((RandomContrast) l).adjust(in, out,
        row(t.get("contrast_factor"), i, 1)[0]));
    checkDraws("random_brightness", (l, in, out, t, i) -> ((RandomBrightness) l).adjust(in, out,
        row(t.get("rgb_delta"), i, 1)[0]));
    KerasPreprocessingCases.Case c = KerasPreprocessingCases.get("random_crop");
    RandomCrop crop = (RandomCrop) c.layer();
    c.assertConfig(crop);
    List<HostValue> outs = new ArrayList<>();
    for (int i = 0; i < c.input().samples(); i++) {
      HostValue out = new HostValue(HostValue.Kind.FLOAT);
      crop.crop(c.input().sample(i), out, c.transformation().get("h_start").asInt(),
          c.transformation().get("w_start").asInt());
      outs.add(out);
    }
    c.assertOutputs(outs, 0);
  }

  @Test
  void randomCropInferenceCropsTheCentreToTheDeclaredShape() {
    // Keras 3.10 returns the image uncropped at inference (see RandomCrop); the output must have
    // the declared shape here: the centred window of the target's aspect ratio, resized
    KerasPreprocessingCases.Case c = KerasPreprocessingCases.get("random_crop");
    RandomCrop crop = (RandomCrop) c.layer();
    Resizing reference = new Resizing(4, 5).cropToAspectRatio(true);
    HostContext ctx = new HostContext(false, 0);
    for (int i = 0; i < c.input().samples(); i++) {
      HostValue got = new HostValue(HostValue.Kind.FLOAT);
      HostValue want = new HostValue(HostValue.Kind.FLOAT);
      crop.encode(new HostValue[] {c.input().sample(i)}, got, ctx);
      reference.encode(new HostValue[] {c.input().sample(i)}, want, ctx);
      assertArrayEquals(new int[] {4, 5, 3}, got.shape());
      assertArrayEquals(java.util.Arrays.copyOf(want.floats(), want.count()),
          java.util.Arrays.copyOf(got.floats(), got.count()));
    }
  }

  @Test
  void augmentationIsSeededPerStreamAndActiveOnlyInTraining() {
    HostValue img = new HostValue(HostValue.Kind.FLOAT).resize3(8, 8, 1);
    for (int i = 0; i < 64; i++) {
      img.setFloat(i, i);
    }
    RandomRotation rot = new RandomRotation(0.25).seed(42);
    float[] a = run(rot, img, true, 7);
    float[] b = run(rot, img, true, 7);
    float[] other = run(rot, img, true, 8);
    assertArrayEquals(a, b, "same seed and stream: the same draws");
    assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(other),
        "another stream (worker) draws differently");
    assertArrayEquals(java.util.Arrays.copyOf(img.floats(), 64), run(rot, img, false, 7),
        "inference leaves the image unchanged");
  }

  private static float[] run(PreprocessingLayer layer, HostValue in, boolean training,
      long stream) {
    HostValue out = new HostValue(HostValue.Kind.FLOAT);
    layer.encode(new HostValue[] {in}, out, new HostContext(training, stream).select(0,
        layer.seed()));
    return java.util.Arrays.copyOf(out.floats(), out.count());
  }

  @Test
  void badImagesAreRejectedWithTheExpectedShape() {
    HostValue flat = new HostValue(HostValue.Kind.FLOAT).resize1(12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Resizing(2, 2).encode(new HostValue[] {flat},
            new HostValue(HostValue.Kind.FLOAT), new HostContext(false, 0)));
    assertTrue(e.getMessage().contains("(height, width, channels)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RandomRotation(0.2).fillMode("mirror"));
    assertThrows(IllegalArgumentException.class, () -> new RandomRotation(1.5));
  }
}
