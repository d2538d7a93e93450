package io.sparkeras.benchdl4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.enums.MeshBuildMode;

/**
 * Deeplearning4j 1.0.0-M2's own Spark training on Fashion-MNIST, the DL4J rows of Sparkeras's peer
 * benchmark: one configuration per JVM, on a local Spark session with 2 task slots.
 *
 * <pre>{@code
 * java -cp bench-dl4j/target/classes:$(cat bench-dl4j/target/classpath.txt) \
 *     io.sparkeras.benchdl4j.Dl4jSparkBench --model mlp|cnn --master shared|averaging \
 *     [--epochs 3] [--train-rows 60000] [--test-rows 10000] [--batch 128] [--data DIR]
 * }</pre>
 *
 * The MLP is 784-512-256-10 (ReLU, softmax), the CNN conv32(3x3)-pool-conv64(3x3)-pool-dense128,
 * both Adam 1e-3 with Xavier init; {@code --batch} is per worker. After every epoch it prints one
 * line {@code PEER_EPOCH {"epoch":..,"seconds":..,"epoch_seconds":..,"samples":..,
 * "test_accuracy":..}} ({@code seconds}: training time so far; the test set is evaluated on the
 * driver outside the timer), then {@code PEER_DONE {"vm_hwm_mb":..}}. Set
 * {@code OMP_NUM_THREADS=1} so that each of the 2 tasks uses one core.
 */
public final class Dl4jSparkBench {
  /** Spark task slots: 2 workers, one core each. */
  static final int WORKERS = 2;
  /** Steps between two parameter averagings (the averaging master). */
  static final int AVERAGING_FREQUENCY = 5;

  private Dl4jSparkBench() {}

  /** The benchmark's network as a DL4J configuration. */
  static MultiLayerConfiguration network(String model) {
    NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(1)
        .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER);
    if (model.equals("mlp")) {
      return b.list()
          .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
          .layer(new DenseLayer.Builder().nIn(512).nOut(256).activation(Activation.RELU).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
              .activation(Activation.SOFTMAX).build())
          .build();
    }
    if (model.equals("cnn")) {
      return b.list()
          .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
          .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
              .stride(2, 2).build())
          .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
          .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
              .stride(2, 2).build())
          .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
              .activation(Activation.SOFTMAX).build())
          .setInputType(InputType.convolutionalFlat(28, 28, 1))
          .build();
    }
    throw new IllegalArgumentException("--model: expected mlp or cnn, found " + model);
  }

  /** Reads a gzipped IDX image file as rows of 784 floats in [0, 1]. */
  static float[][] images(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file, 2051)) {
      int n = Math.min(limit, in.readInt());
      int pixels = in.readInt() * in.readInt();
      float[][] out = new float[n][pixels];
      byte[] buf = new byte[pixels];
      for (int i = 0; i < n; i++) {
        in.readFully(buf);
        for (int j = 0; j < pixels; j++) {
          out[i][j] = (buf[j] & 0xff) / 255f;
        }
      }
      return out;
    }
  }

  /** Reads a gzipped IDX label file. */
  static int[] labels(Path file, int limit) throws IOException {
    try (DataInputStream in = open(file, 2049)) {
      int n = Math.min(limit, in.readInt());
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = in.readUnsignedByte();
      }
      return out;
    }
  }

  private static DataInputStream open(Path file, int magic) throws IOException {
    InputStream raw = Files.newInputStream(file);
    DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    int m = in.readInt();
    if (m != magic) {
      in.close();
      throw new IOException(file + ": IDX magic " + m + ", expected " + magic);
    }
    return in;
  }

  /** Minibatches of {@code batch} rows (features [b, 784], one-hot labels [b, 10]). */
  static List<DataSet> batches(float[][] x, int[] y, int batch) {
    List<DataSet> out = new ArrayList<>();
    for (int from = 0; from < x.length; from += batch) {
      int to = Math.min(x.length, from + batch);
      float[][] f = new float[to - from][];
      float[][] l = new float[to - from][10];
      for (int i = from; i < to; i++) {
        f[i - from] = x[i];
        l[i - from][y[i]] = 1f;
      }
      out.add(new DataSet(Nd4j.create(f), Nd4j.create(l)));
    }
    return out;
  }

  static TrainingMaster<?, ?> master(String kind, int batch) {
    if (kind.equals("averaging")) {
      return new ParameterAveragingTrainingMaster.Builder(batch).batchSizePerWorker(batch)
          .averagingFrequency(AVERAGING_FREQUENCY).workerPrefetchNumBatches(2)
          .rddTrainingApproach(RDDTrainingApproach.Direct).build();
    }
    if (kind.equals("shared")) {
      // DL4J asks Aeron for a 30 s client liveness timeout; Aeron 1.51 then insists on a longer
      // publication unblock timeout than its 15 s default
      System.setProperty("aeron.publication.unblock.timeout", "60s");
      VoidConfiguration voidConf = VoidConfiguration.builder()
          .unicastPort(Integer.parseInt(System.getProperty("dl4j.port", "40123")))
          .networkMask("127.0.0.0/8").controllerAddress("127.0.0.1")
          .meshBuildMode(MeshBuildMode.PLAIN).build();
      return new SharedTrainingMaster.Builder(voidConf, batch).batchSizePerWorker(batch)
          .workersPerNode(1).rddTrainingApproach(RDDTrainingApproach.Direct).build();
    }
    throw new IllegalArgumentException("--master: expected shared or averaging, found " + kind);
  }

  /** Peak resident set of this JVM (VmHWM), in MB, or -1 where /proc is missing. */
  static double peakRssMb() {
    try {
      for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  public static void main(String[] args) throws Exception {
    String model = "mlp";
    String master = "averaging";
    int epochs = 3;
    int trainRows = 60_000;
    int testRows = 10_000;
    int batch = 128;
    Path data = Paths.get("/usr/share/datasets/fashion-mnist");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model": model = args[++i]; break;
        case "--master": master = args[++i]; break;
        case "--epochs": epochs = Integer.parseInt(args[++i]); break;
        case "--train-rows": trainRows = Integer.parseInt(args[++i]); break;
        case "--test-rows": testRows = Integer.parseInt(args[++i]); break;
        case "--batch": batch = Integer.parseInt(args[++i]); break;
        case "--data": data = Paths.get(args[++i]); break;
        default:
          System.err.println("Dl4jSparkBench: unknown argument " + args[i]);
          System.exit(2);
      }
    }
    float[][] xTrain = images(data.resolve("train-images-idx3-ubyte.gz"), trainRows);
    int[] yTrain = labels(data.resolve("train-labels-idx1-ubyte.gz"), trainRows);
    float[][] xTest = images(data.resolve("t10k-images-idx3-ubyte.gz"), testRows);
    int[] yTest = labels(data.resolve("t10k-labels-idx1-ubyte.gz"), testRows);
    List<DataSet> test = batches(xTest, yTest, 1000);

    SparkConf conf = new SparkConf().setMaster("local[" + WORKERS + "]")
        .setAppName("Dl4jSparkBench").set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1");
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      // not cached here: the training masters persist it themselves (a second level fails)
      JavaRDD<DataSet> train = sc.parallelize(batches(xTrain, yTrain, batch), WORKERS);
      SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, network(model), master(master, batch));
      double seconds = 0;
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long t0 = System.nanoTime();
        net.fit(train);
        double took = (System.nanoTime() - t0) / 1e9;
        seconds += took;
        MultiLayerNetwork trained = net.getNetwork();
        Evaluation eval = new Evaluation(10);
        for (DataSet ds : test) {
          INDArray out = trained.output(ds.getFeatures(), false);
          eval.eval(ds.getLabels(), out);
        }
        System.out.printf(Locale.ROOT, "PEER_EPOCH {\"epoch\":%d,\"seconds\":%.3f,"
            + "\"epoch_seconds\":%.3f,\"samples\":%d,\"test_accuracy\":%.4f}%n", epoch, seconds,
            took, xTrain.length, eval.accuracy());
        System.out.flush();
      }
    } finally {
      sc.stop();
    }
    System.out.printf(Locale.ROOT, "PEER_DONE {\"vm_hwm_mb\":%.1f}%n", peakRssMb());
    System.out.flush();
    // DL4J's parameter-server threads are not daemons: end the JVM explicitly
    System.exit(0);
  }
}
