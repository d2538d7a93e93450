package io.sparkeras.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rules run over tiles copied out of the buffers ({@link Tiles}); this checks them bit for bit
 * against the plain element loops they replaced (written out below), over a range that starts and
 * ends inside a tile and spans several tiles, on direct and heap buffers, for every variant.
 */
class TiledKernelsTest {
  static final int N = 3 * Tiles.SIZE + 517;
  static final int FROM = 301;
  static final int TO = N - 13;

  interface Reference {
    void apply(float[] p, float[] g, float[][] s, int i, long step, float lr);
  }

  static FloatBuffer buffer(float[] values, boolean direct) {
    FloatBuffer b = direct
        ? ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer()
        : FloatBuffer.allocate(values.length);
    b.put(0, values);
    return b;
  }

  static float[] random(SplittableRandom r, float scale, boolean positive) {
    float[] a = new float[N];
    for (int i = 0; i < N; i++) {
      float v = (float) r.nextGaussian() * scale;
      a[i] = positive ? Math.abs(v) : v;
    }
    return a;
  }

  static void check(String name, Map<String, Object> config, Reference ref) {
    for (boolean direct : new boolean[] {true, false}) {
      UpdateRule rule = UpdateRules.create(name, config);
      SplittableRandom r = new SplittableRandom(11);
      float[] p = random(r, 1f, false);
      float[][] s = new float[rule.stateSlots()][];
      for (int k = 0; k < s.length; k++) {
        // velocities must be >= 0 (RMSprop centered keeps v - a^2 + eps > 0 with small a)
        s[k] = random(r, k == 0 ? 0.5f : 0.01f, true);
      }
      FloatBuffer pb = buffer(p, direct);
      FloatBuffer[] sb = new FloatBuffer[s.length];
      for (int k = 0; k < s.length; k++) {
        sb[k] = buffer(s[k], direct);
      }
      for (long step = 1; step <= 3; step++) {
        float[] g = random(r, 0.1f, false);
        float lr = 1e-3f * step;
        rule.apply(pb, buffer(g, direct), sb, FROM, TO, step, lr);
        for (int i = FROM; i < TO; i++) {
          ref.apply(p, g, s, i, step, lr);
        }
      }
      String what = name + " " + config + (direct ? " direct" : " heap");
      float[] got = new float[N];
      pb.get(0, got);
      assertArrayEquals(p, got, what + ": params");
      for (int k = 0; k < s.length; k++) {
        sb[k].get(0, got);
        assertArrayEquals(s[k], got, what + ": state slot " + k);
      }
    }
  }

  static float adamAlpha(long step, float lr, double b1, double b2) {
    double b1p = Math.pow((float) b1, step);
    double b2p = Math.pow((float) b2, step);
    return (float) (lr * Math.sqrt(1.0 - b2p) / (1.0 - b1p));
  }

  @Test
  void adamVariantsEqualTheElementLoop() {
    float c1 = (float) (1.0 - 0.9);
    float c2 = (float) (1.0 - 0.999);
    float eps = 1e-7f;
    for (double wd : new double[] {0.0, 0.004}) {
      float w = (float) wd;
      check("adam", Map.of("weight_decay", wd), (p, g, s, i, step, lr) -> {
        float alpha = adamAlpha(step, lr, 0.9, 0.999);
        float pi = w != 0f ? p[i] - p[i] * w * lr : p[i];
        s[0][i] = s[0][i] + (g[i] - s[0][i]) * c1;
        s[1][i] = s[1][i] + (g[i] * g[i] - s[1][i]) * c2;
        p[i] = pi - s[0][i] * alpha / ((float) Math.sqrt(s[1][i]) + eps);
      });
      check("adam", Map.of("weight_decay", wd, "amsgrad", true), (p, g, s, i, step, lr) -> {
        float alpha = adamAlpha(step, lr, 0.9, 0.999);
        float pi = w != 0f ? p[i] - p[i] * w * lr : p[i];
        s[0][i] = s[0][i] + (g[i] - s[0][i]) * c1;
        s[1][i] = s[1][i] + (g[i] * g[i] - s[1][i]) * c2;
        s[2][i] = Math.max(s[2][i], s[1][i]);
        p[i] = pi - s[0][i] * alpha / ((float) Math.sqrt(s[2][i]) + eps);
      });
    }
  }

  @Test
  void sgdVariantsEqualTheElementLoop() {
    float mu = 0.9f;
    check("sgd", Map.of("weight_decay", 0.01), (p, g, s, i, step, lr) -> {
      float pi = p[i] - p[i] * 0.01f * lr;
      p[i] = pi - g[i] * lr;
    });
    check("sgd", Map.of("momentum", 0.9), (p, g, s, i, step, lr) -> {
      s[0][i] = s[0][i] * mu - g[i] * lr;
      p[i] = p[i] + s[0][i];
    });
    check("sgd", Map.of("momentum", 0.9, "nesterov", true), (p, g, s, i, step, lr) -> {
      float gl = g[i] * lr;
      s[0][i] = s[0][i] * mu - gl;
      p[i] = p[i] + (s[0][i] * mu - gl);
    });
  }

  @Test
  void rmspropAndAdagradVariantsEqualTheElementLoop() {
    float r = 0.9f;
    float r1 = (float) (1.0 - 0.9);
    float eps = 1e-7f;
    float mu = 0.5f;
    check("rmsprop", Map.of(), (p, g, s, i, step, lr) -> {
      s[0][i] = r * s[0][i] + r1 * (g[i] * g[i]);
      p[i] = p[i] - lr * g[i] / (float) Math.sqrt(s[0][i] + eps);
    });
    check("rmsprop", Map.of("momentum", 0.5), (p, g, s, i, step, lr) -> {
      s[0][i] = r * s[0][i] + r1 * (g[i] * g[i]);
      s[1][i] = mu * s[1][i] + lr * g[i] / (float) Math.sqrt(s[0][i] + eps);
      p[i] = p[i] - s[1][i];
    });
    check("rmsprop", Map.of("centered", true), (p, g, s, i, step, lr) -> {
      s[0][i] = r * s[0][i] + r1 * (g[i] * g[i]);
      s[1][i] = r * s[1][i] + r1 * g[i];
      p[i] = p[i] - lr * g[i] / (float) Math.sqrt(s[0][i] - s[1][i] * s[1][i] + eps);
    });
    check("rmsprop", Map.of("centered", true, "momentum", 0.5), (p, g, s, i, step, lr) -> {
      s[0][i] = r * s[0][i] + r1 * (g[i] * g[i]);
      s[2][i] = r * s[2][i] + r1 * g[i];
      s[1][i] = mu * s[1][i] + lr * g[i] / (float) Math.sqrt(s[0][i] - s[2][i] * s[2][i] + eps);
      p[i] = p[i] - s[1][i];
    });
    check("adagrad", Map.of(), (p, g, s, i, step, lr) -> {
      s[0][i] = s[0][i] + g[i] * g[i];
      p[i] = p[i] - lr * g[i] / (float) Math.sqrt(s[0][i] + eps);
    });
  }
}
