package io.sparkeras.api.backend.torch;

import java.io.File;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points Spark's BLAS and LAPACK (netlib, used by Spark MLlib) at the OpenBLAS that libtorch
 * already loaded, so that one JVM holds one OpenBLAS release.
 *
 * <p>Why: netlib opens the system's {@code libblas.so} by default. On Debian and Ubuntu with
 * {@code libopenblas0-pthread} (which Spark's documentation recommends, and numpy pulls in), that
 * file is a thin interface layer that needs {@code libopenblas.so.0} by its soname — a name the
 * JavaCPP OpenBLAS libtorch runs on already holds in our JVMs. The dynamic linker then joins the
 * system's interface code to the JavaCPP build's kernels and internal structures, a different
 * OpenBLAS release: MLlib's first matrix product corrupts memory and the JVM dies (SIGSEGV in
 * {@code dgemm_oncopy}, or later in the JVM's own code). Opening the JavaCPP library by its full
 * path reuses the copy already loaded: MLlib keeps native speed on the same OpenBLAS.
 *
 * <p>A property the user set ({@code -Ddev.ludovic.netlib.blas.nativeLibPath=...}) is kept. If
 * netlib was loaded before libtorch, the system library was loaded whole, libtorch binds to it
 * through OpenBLAS's stable public interface, and nothing is mixed either.
 */
final class NetlibBlas {
  static final String BLAS_PATH_PROP_NAME = "dev.ludovic.netlib.blas.nativeLibPath";
  static final String LAPACK_PATH_PROP_NAME = "dev.ludovic.netlib.lapack.nativeLibPath";
  private static final Logger LOG = LoggerFactory.getLogger(NetlibBlas.class);

  private NetlibBlas() {}

  /** Sets netlib's library paths to JavaCPP's OpenBLAS, unless the user set them. */
  static void shareOpenBlas() {
    String path = loadedOpenBlas(Loader.getLoadedLibraries());
    if (path == null) {
      LOG.debug("no JavaCPP OpenBLAS loaded; netlib keeps its own choice");
      return;
    }
    for (String prop : new String[] {BLAS_PATH_PROP_NAME, LAPACK_PATH_PROP_NAME}) {
      if (System.getProperty(prop) == null) {
        System.setProperty(prop, path);
      }
    }
    LOG.debug("netlib BLAS/LAPACK: {}", System.getProperty(BLAS_PATH_PROP_NAME));
  }

  /**
   * The full OpenBLAS (with LAPACK) among JavaCPP's loaded libraries ({@code name@.version ->
   * path}), else its no-LAPACK twin, else null.
   */
  static String loadedOpenBlas(Map<String, String> loaded) {
    String nolapack = null;
    for (Map.Entry<String, String> e : loaded.entrySet()) {
      String name = e.getKey();
      if (e.getValue() == null || !new File(e.getValue()).isFile()) {
        continue;
      }
      if (name.equals("openblas") || name.startsWith("openblas@")) {
        return e.getValue();
      }
      if (name.startsWith("openblas_nolapack")) {
        nolapack = e.getValue();
      }
    }
    return nolapack;
  }
}
