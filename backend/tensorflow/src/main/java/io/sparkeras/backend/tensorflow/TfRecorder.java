package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The recording machinery under {@link TfOps}: {@link Ops} lowered to TensorFlow graph
 * operations, recorded into the current {@link Step}. Each call names its operation, attributes
 * and inputs; the step reuses the node an earlier step built under the same name. Also the
 * helpers the operations share: NumPy broadcasting, axis normalisation, operations over the last
 * axis.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
abstract class TfRecorder implements Ops {
  final TensorFlowBackend backend;

  TfRecorder(TensorFlowBackend backend) {
    this.backend = backend;
  }

  // ---- the recording machinery ---------------------------------------------------------------

  static TfTensor tensorOf(Tensor t, String op) {
    if (t instanceof TfTensor) {
      return (TfTensor) t;
    }
    throw new IllegalArgumentException(op + ": expected a computed tensorflow tensor, found "
        + (t == null ? "null" : t.getClass().getName()));
  }

  static TfVariable variableOf(Tensor t, String op) {
    if (t instanceof TfVariable) {
      return (TfVariable) t;
    }
    throw new IllegalArgumentException(op + ": expected a tensorflow variable, found "
        + (t == null ? "null" : t.getClass().getName()));
  }

  Step step() {
    return backend.step();
  }

  org.tensorflow.op.Ops tf(Step s) {
    return s.graph.tf;
  }

  /** The input's part of an operation key; marks a variable's slab as fed. */
  static String id(Step s, Tensor t) {
    if (t instanceof TfTensor) {
      return "n" + ((TfTensor) t).node.id;
    }
    if (t instanceof TfVariable) {
      TfVariable v = (TfVariable) t;
      s.use(v.slab);
      return "v" + v.id + "@" + v.slab.id;
    }
    throw new IllegalArgumentException("tensor of another backend ("
        + (t == null ? "null" : t.getClass().getName()) + ") passed to the tensorflow backend");
  }

  static Operand graphValue(Step s, Tensor t) {
    return t instanceof TfTensor ? ((TfTensor) t).node.out : s.graph.variable((TfVariable) t);
  }

  /** Records operation {@code name} (with its attributes) on the inputs. */
  Tensor op(String name, List<Tensor> inputs, Function<Operand[], Operand> build) {
    Step s = step();
    StringBuilder key = new StringBuilder(name).append('(');
    for (Tensor t : inputs) {
      key.append(id(s, t)).append(',');
    }
    TraceNode n = s.visit(key.toString(), ph -> {
      Operand[] ins = new Operand[inputs.size()];
      for (int i = 0; i < ins.length; i++) {
        ins[i] = graphValue(s, inputs.get(i));
      }
      return build.apply(ins);
    });
    return new TfTensor(n, s);
  }

  Tensor op(String name, Tensor x, Function<Operand, Operand> build) {
    return op(name, List.of(x), in -> build.apply(in[0]));
  }

  /** A binary operation with NumPy broadcasting; mixed element types compute in float32. */
  Tensor op2(String name, Tensor a, Tensor b,
      java.util.function.BiFunction<Operand, Operand, Operand> build) {
    return op(name, List.of(a, b), in -> {
      Operand x = in[0];
      Operand y = in[1];
      if (x.type() != y.type()) {
        x = toFloat(x);
        y = toFloat(y);
      }
      return build.apply(x, y);
    });
  }

  Operand toFloat(Operand x) {
    return x.type() == TFloat32.class ? x : tf(step()).dtypes.cast(x, TFloat32.class);
  }

  Operand constantF(float v) {
    return tf(step()).constant(v);
  }

  /** The first {@code n} values of {@code b}, copied. */
  static float[] copy(java.nio.FloatBuffer b, int n) {
    float[] out = new float[n];
    b.get(0, out, 0, n);
    return out;
  }

  static long[] longs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  static int axis(Tensor x, int axis) {
    int r = x.rank();
    int a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= Math.max(r, 1)) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + r);
    }
    return a;
  }

  static int[] axes(Tensor x, int[] axes) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = axis(x, axes[i]);
    }
    return out;
  }

  static int[] broadcast(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - (r - a.length)];
      int db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and "
            + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** An operation over the last axis applied along {@code axis} (transposed there and back). */
  Tensor lastAxis(String name, Tensor x, int axis, Function<Operand, Operand> f) {
    int a = axis(x, axis);
    int r = x.rank();
    if (a == r - 1) {
      return op(name, x, f);
    }
    int[] perm = new int[r];
    for (int i = 0; i < r; i++) {
      perm[i] = i;
    }
    perm[a] = r - 1;
    perm[r - 1] = a;
    return op(name + ":" + a, x, in -> {
      org.tensorflow.op.Ops tf = tf(step());
      Operand p = tf.constant(perm);
      return tf.linalg.transpose(f.apply(tf.linalg.transpose(in, p)), p);
    });
  }
}
