package io.sparkeras.api.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.Sparkeras;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Input;
import io.sparkeras.api.layers.core.Dense;
import io.sparkeras.api.losses.Losses;
import io.sparkeras.api.metrics.Metrics;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.models.Sequential;
import io.sparkeras.api.models.TestData;
import io.sparkeras.api.optimizers.Adam;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveLoadTest {
  @TempDir
  Path dir;

  static Model trained() {
    Sparkeras.setRandomSeed(8);
    Sequential m = new Sequential(Input.of(6), new Dense(10).activation("relu"),
        new Dense(3).activation("softmax"));
    m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
    NDArray[] d = TestData.threeClasses(300, 6, 12);
    m.fit(d[0], d[1], FitOptions.epochs(2).verbose(0));
    return m;
  }

  @Test
  void saveLoadGivesIdenticalPredictionsAndCompileSettings() throws IOException {
    Model m = trained();
    String path = "file:" + dir.resolve("m.sparkeras");
    m.save(path);
    Model loaded = Model.load(path);
    NDArray x = TestData.threeClasses(50, 6, 13)[0];
    assertArrayEquals(m.predict(x).toArray(), loaded.predict(x).toArray(), 0f);
    assertTrue(loaded.isCompiled());
    assertEquals("adam", loaded.getOptimizer().name());
    assertEquals(1, loaded.getCompiledMetrics().size());
    assertEquals("accuracy", loaded.getCompiledMetrics().get(0).compileAlias(),
        "\"accuracy\" is saved as the name and resolved again at compile");
    assertEquals(0.01, loaded.getOptimizer().getLearningRate(), 1e-12);
    // nothing but the model file is left in the directory
    try (var files = Files.list(dir)) {
      assertEquals(List.of("m.sparkeras"), files.map(p -> p.getFileName().toString()).toList());
    }
    // overwrite in place
    m.save(path);
    assertArrayEquals(m.predict(x).toArray(), Model.load(path).predict(x).toArray(), 0f);
  }

  @Test
  void streamsCarryTheSameFileAsAPath() throws IOException {
    Model m = trained();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    m.save(bytes);
    bytes.write(new byte[] {1, 2, 3}); // the stream stays open for the caller
    byte[] file = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
    Model loaded = Model.load(new java.io.ByteArrayInputStream(file));
    NDArray x = TestData.threeClasses(50, 6, 15)[0];
    assertArrayEquals(m.predict(x).toArray(), loaded.predict(x).toArray(), 0f);
    assertEquals("adam", loaded.getOptimizer().name());
    // the same bytes as a file saved through the file system
    Path f = dir.resolve("s.sparkeras");
    Files.write(f, file);
    assertArrayEquals(m.predict(x).toArray(), Model.load("file:" + f).predict(x).toArray(), 0f);
    IOException e = assertThrows(IOException.class,
        () -> Model.load(new java.io.ByteArrayInputStream(new byte[] {'P', 'K', 0, 0})));
    assertTrue(e.getMessage().contains("the model stream: not a model file"), e.getMessage());
  }

  @Test
  void loadInAFreshJvmPredictsIdentically() throws Exception {
    Model m = trained();
    Path model = dir.resolve("fresh.sparkeras");
    m.save(model.toString());
    NDArray x = TestData.threeClasses(20, 6, 14)[0];
    Path input = dir.resolve("x.bin");
    Path output = dir.resolve("y.bin");
    Files.write(input, floats(x.toArray()));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
        System.getProperty("user.home") + "/.cache/sparkeras-javacpp"));
    // the child runs on this JVM's backend (api's tests also run on the tensorflow backend)
    cmd.add("-D" + Backends.BACKEND_PROP_NAME + "=" + Backends.current().name());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PredictMain.class.getName());
    cmd.add(model.toString());
    cmd.add(input.toString());
    cmd.add(output.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished in time");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.log")));
    float[] theirs = toFloats(Files.readAllBytes(output));
    assertArrayEquals(m.predict(x).toArray(), theirs, 0f);
  }

  /** Child JVM: load a model, predict raw float input, write raw float output. */
  public static final class PredictMain {
    public static void main(String[] args) throws Exception {
      Model m = Model.load(args[0]);
      float[] x = toFloats(Files.readAllBytes(Path.of(args[1])));
      NDArray in = NDArray.of(x, x.length / 6, 6);
      Files.write(Path.of(args[2]), floats(m.predict(in).toArray()));
    }
  }

  @Test
  void aFailedSaveLeavesTheOldFileAndNoTemporaries() throws IOException {
    Model m = trained();
    Path target = dir.resolve("keep.sparkeras");
    m.save(target.toString());
    byte[] before = Files.readAllBytes(target);
    // an unregistered subclassed model cannot be serialised: the save must fail cleanly
    Model bad = new Model() {
      @Override
      public io.sparkeras.api.backend.Tensor call(io.sparkeras.api.backend.Tensor x,
          boolean training) {
        return x;
      }
    };
    bad.build(new int[] {6});
    assertThrows(RuntimeException.class, () -> bad.save(target.toString()));
    assertArrayEquals(before, Files.readAllBytes(target));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void corruptFilesAreRejectedWithTheReason() throws IOException {
    Path junk = dir.resolve("junk.sparkeras");
    Files.write(junk, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> Model.load(junk.toString()));
    assertTrue(e.getMessage().contains("not a model file"), e.getMessage());
    IOException missing = assertThrows(IOException.class,
        () -> Model.load(new File(dir.toFile(), "nope").toString()));
    assertTrue(missing.getMessage().contains("no saved model"), missing.getMessage());
  }

  static byte[] floats(float[] f) {
    ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(f);
    return b.array();
  }

  static float[] toFloats(byte[] bytes) {
    float[] f = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }
}
