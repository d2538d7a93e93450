package io.sparkeras.api.backend.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetlibBlasTest {

  @Test
  void netlibIsPointedAtTheOpenBlasLibtorchLoaded() {
    Backends.ops(); // starts the backend
    String blas = System.getProperty(NetlibBlas.BLAS_PATH_PROP_NAME);
    assertTrue(blas != null && Files.isRegularFile(Path.of(blas)), "netlib BLAS path: " + blas);
    assertTrue(Path.of(blas).getFileName().toString().startsWith("libopenblas"), blas);
    assertEquals(blas, System.getProperty(NetlibBlas.LAPACK_PATH_PROP_NAME));
    assertTrue(org.bytedeco.javacpp.Loader.getLoadedLibraries().containsValue(blas),
        "not a library JavaCPP loaded: " + blas);
  }

  @Test
  void prefersTheFullLibraryThenTheNoLapackOne(@TempDir Path dir) throws IOException {
    Path full = Files.createFile(dir.resolve("libopenblas.so.0"));
    Path nolapack = Files.createFile(dir.resolve("libopenblas_nolapack.so.0"));
    Map<String, String> loaded = new LinkedHashMap<>();
    loaded.put("torch_cpu", dir.resolve("libtorch_cpu.so").toString());
    loaded.put("openblas_nolapack@.0", nolapack.toString());
    assertEquals(nolapack.toString(), NetlibBlas.loadedOpenBlas(loaded));
    loaded.put("openblas@.0", full.toString());
    assertEquals(full.toString(), NetlibBlas.loadedOpenBlas(loaded));
    loaded.put("openblas@.0", dir.resolve("missing.so").toString());
    assertEquals(nolapack.toString(), NetlibBlas.loadedOpenBlas(loaded));
    assertNull(NetlibBlas.loadedOpenBlas(Map.of("c10", full.toString())));
  }
}
