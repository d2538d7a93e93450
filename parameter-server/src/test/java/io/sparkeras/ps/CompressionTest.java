package io.sparkeras.ps;

import static io.sparkeras.ps.PsTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.ps.client.ParameterServerClient;
import io.sparkeras.ps.protocol.HalfFloats;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Per-job wire compression: fp16, bf16 and threshold encoding with residuals (Strom 2015). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompressionTest extends ServerTestFixture {
  static final int SIZE = 5003;
  static final int WORKERS = 2;
  static final int STEPS = 3;
  static final float TAU = 0.4f;




  /** What the server sees of worker w's gradient after the wire, per the encoding (own model). */
  static double[][][] decodedGradients(Compression c) {
    double[][][] seen = new double[STEPS][WORKERS][SIZE];
    for (int w = 0; w < WORKERS; w++) {
      double[] residual = new double[SIZE];
      for (int t = 0; t < STEPS; t++) {
        for (int i = 0; i < SIZE; i++) {
          float g = value(300 * w + t, i);
          switch (c) {
            case FP16: seen[t][w][i] = HalfFloats.fromFp16(HalfFloats.toFp16(g)); break;
            case BF16: seen[t][w][i] = HalfFloats.fromBf16(HalfFloats.toBf16(g)); break;
            case THRESHOLD: {
              float r = (float) residual[i] + g;
              float q = r >= TAU ? TAU : r <= -TAU ? -TAU : 0f;
              residual[i] = r - q;
              seen[t][w][i] = q;
              break;
            }
            default: seen[t][w][i] = g;
          }
        }
      }
    }
    return seen;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void syncTrainingWithCompressedTransport(Compression compression) throws Exception {
    FloatBuffer init = floats(SIZE);
    for (int i = 0; i < SIZE; i++) {
      init.put(i, value(9, i));
    }
    int port = freeUdpPort();
    server = ParameterServer.launch(serverContext(dir, port).shards(2).workers(WORKERS)
        .initialParameters(init).compression(compression).threshold(TAU)
        .optimizer("adam", adamConfig(false)));
    List<Future<float[]>> pulled = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      pulled.add(pool.submit(() -> {
        try (ParameterServerClient c = ParameterServerClient.connect(
            clientContext(clientDriver.aeronDirectoryName(), port, worker))) {
          FloatBuffer params = floats(SIZE);
          FloatBuffer grads = floats(SIZE);
          for (long t = 0; t < STEPS; t++) {
            for (int i = 0; i < SIZE; i++) {
              grads.put(i, value(300 * worker + t, i));
            }
            c.pushGradient(0, t, grads);
            c.pull(t + 1, params);
          }
          float[] out = new float[SIZE];
          params.get(0, out);
          return out;
        }
      }));
    }
    double[][][] seen = decodedGradients(compression);
    double[] expected = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      expected[i] = init.get(i);
    }
    PsTestSupport.RefAdam adam = new PsTestSupport.RefAdam(SIZE, 0.01, 0.8, 0.99, 1e-7, false);
    for (int t = 0; t < STEPS; t++) {
      double[] mean = new double[SIZE];
      for (int i = 0; i < SIZE; i++) {
        mean[i] = (seen[t][0][i] + seen[t][1][i]) / WORKERS;
      }
      adam.step(expected, mean, t + 1);
    }
    FloatBuffer serverParams = floats(SIZE);
    for (Future<float[]> f : pulled) {
      float[] got = f.get();
      server.readParameters(serverParams);
      float[] exact = new float[SIZE];
      serverParams.get(0, exact);
      SyncModeTest.assertClose(expected, exact);
      for (int i = 0; i < SIZE; i++) {
        float wire = compression == Compression.FP16 ? HalfFloats.fromFp16(HalfFloats.toFp16(exact[i]))
            : compression == Compression.BF16 ? HalfFloats.fromBf16(HalfFloats.toBf16(exact[i]))
            : exact[i];
        assertEquals(wire, got[i], "pulled parameter " + i + " travels as " + compression);
      }
    }
  }
}
