package io.sparkeras.api.saving.keras;

import io.sparkeras.api.models.Model;

/**
 * Measures how long {@code Model.load} takes on a {@code .keras} file (the figure in
 * docs/keras-files.md). Not a test: run it by hand on a file written by real Keras, e.g. the
 * 100 MB MLP made by the script in docs/keras-files.md:
 *
 * <pre>
 * mvn -o -q -pl api test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp "api/target/test-classes:api/target/classes:$(cat api/target/cp.txt)" \
 *   io.sparkeras.api.saving.keras.KerasFileLoadTime /tmp/big_mlp.keras 5
 * </pre>
 */
public final class KerasFileLoadTime {
  private KerasFileLoadTime() {}

  public static void main(String[] args) throws Exception {
    String path = args[0];
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      Model m = Model.load("file:" + path);
      double s = (System.nanoTime() - t) / 1e9;
      System.out.printf("run %d: %.3f s (%d params)%n", i + 1, s, m.countParams());
    }
  }
}
