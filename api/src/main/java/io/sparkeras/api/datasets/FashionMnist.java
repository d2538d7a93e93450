package io.sparkeras.api.datasets;

import io.sparkeras.api.data.NDArray;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (60,000 training and 10,000 test images of 28x28 grey clothes in 10 classes), like
 * {@code keras.datasets.fashion_mnist}, read from Debian's {@code dataset-fashion-mnist} package
 * (or the directory in {@value #DIR_PROP_NAME}). Nothing is downloaded. Pixels are scaled to
 * [0, 1]; images have shape {@code [n, 28, 28, 1]}, labels {@code [n]}.
 *
 * <pre>{@code
 * FashionMnist.Data d = FashionMnist.load();
 * model.fit(d.xTrain(), d.yTrain(), FitOptions.epochs(5));
 * NDArray flat = FashionMnist.flatten(d.xTest());   // [n, 784] for an MLP
 * }</pre>
 */
public final class FashionMnist {
  /** System property overriding the data directory. */
  public static final String DIR_PROP_NAME = "sparkeras.fashion_mnist.dir";
  /** Where Debian's package puts the files. */
  public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
  /** Class names by label. */
  public static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress",
      "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

  private FashionMnist() {}

  /** Train and test splits. */
  public static final class Data {
    private final NDArray xTrain;
    private final NDArray yTrain;
    private final NDArray xTest;
    private final NDArray yTest;

    Data(NDArray xTrain, NDArray yTrain, NDArray xTest, NDArray yTest) {
      this.xTrain = xTrain;
      this.yTrain = yTrain;
      this.xTest = xTest;
      this.yTest = yTest;
    }

    public NDArray xTrain() {
      return xTrain;
    }

    public NDArray yTrain() {
      return yTrain;
    }

    public NDArray xTest() {
      return xTest;
    }

    public NDArray yTest() {
      return yTest;
    }
  }

  /** The data directory in use. */
  public static Path directory() {
    return Paths.get(System.getProperty(DIR_PROP_NAME, DEBIAN_DIR));
  }

  /** Whether the files are present. */
  public static boolean isAvailable() {
    return Files.isReadable(directory().resolve("train-images-idx3-ubyte.gz"));
  }

  /** Loads both splits. */
  public static Data load() throws IOException {
    Path dir = directory();
    if (!isAvailable()) {
      throw new FileNotFoundException("Fashion-MNIST not found in " + dir + ": install Debian's "
          + "package (apt-get install dataset-fashion-mnist; bin/setup does it) or set -D"
          + DIR_PROP_NAME + " to a directory with the four *-ubyte.gz files");
    }
    return new Data(images(dir.resolve("train-images-idx3-ubyte.gz")),
        labels(dir.resolve("train-labels-idx1-ubyte.gz")),
        images(dir.resolve("t10k-images-idx3-ubyte.gz")),
        labels(dir.resolve("t10k-labels-idx1-ubyte.gz")));
  }

  /** Images as {@code [n, 784]}, for dense models (no copy). */
  public static NDArray flatten(NDArray images) {
    return NDArray.of(images.data(), images.length(), images.sampleSize()).rows(0,
        images.length());
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(in, 1 << 16),
        1 << 16));
  }

  static NDArray images(Path p) throws IOException {
    try (DataInputStream in = open(p)) {
      int magic = in.readInt();
      if (magic != 2051) {
        throw new IOException(p + ": not an IDX image file (magic " + magic + ", expected 2051)");
      }
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] raw = new byte[n * rows * cols];
      in.readFully(raw);
      float[] x = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        x[i] = (raw[i] & 0xff) / 255f;
      }
      return NDArray.of(x, n, rows, cols, 1);
    }
  }

  static NDArray labels(Path p) throws IOException {
    try (DataInputStream in = open(p)) {
      int magic = in.readInt();
      if (magic != 2049) {
        throw new IOException(p + ": not an IDX label file (magic " + magic + ", expected 2049)");
      }
      int n = in.readInt();
      byte[] raw = new byte[n];
      in.readFully(raw);
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        y[i] = raw[i] & 0xff;
      }
      return NDArray.of(y, n);
    }
  }
}
