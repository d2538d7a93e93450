package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.DType;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The backend's traced program, like {@code tf.function}: one TensorFlow graph holding every step
 * traced so far as a trie of {@link TraceNode}s, and one session running it. A step that repeats
 * the operations of an earlier one (same operations, attributes, shapes and inputs) reuses their
 * nodes, so after the first batch a train step builds nothing and runs the graph once. Variables
 * enter as one placeholder per {@link Slab}, split into the variables' shapes; gradients come
 * from TensorFlow's C++ gradient registry ({@code Graph.addGradients}) with respect to those
 * placeholders, so each slab's gradient arrives as one flat vector.
 */
final class TfGraph implements AutoCloseable {
  final Graph graph;
  final Ops tf;
  /** The session running this graph; null for a frozen graph, which is only built. */
  final Session session;
  /**
   * Whether variables and {@code fromArray} values enter as constants (the slabs' current
   * values) rather than fed placeholders: for a graph written out ({@link SavedModelWriter}).
   */
  final boolean frozen;
  final TraceNode root = new TraceNode(0, null, new int[0], DType.FLOAT32);
  private final Map<Slab, SlabNodes> slabs = new IdentityHashMap<>();
  /** Traced operations after which a new outermost scope starts a new graph. */
  static final int MAX_NODES = 20_000;
  private int nextId;
  private int openSteps;
  private boolean retired;

  private static final class SlabNodes {
    /** The slab's placeholder (a constant in a frozen graph). */
    final Operand<TFloat32> placeholder;
    final Output<?>[] variables;

    SlabNodes(Operand<TFloat32> placeholder, Output<?>[] variables) {
      this.placeholder = placeholder;
      this.variables = variables;
    }
  }

  TfGraph(int threads, Xla xla) {
    graph = new Graph();
    tf = Ops.create(graph);
    frozen = false;
    session = new Session(graph, sessionConfig(threads, xla));
  }

  /** A frozen graph over {@code g}, which its caller owns: traced into, never run here. */
  private TfGraph(Graph g) {
    graph = g;
    tf = Ops.create(g);
    frozen = true;
    session = null;
  }

  static TfGraph frozen(Graph g) {
    return new TfGraph(g);
  }

  /**
   * The session's threads, and XLA: {@code on} asks TensorFlow's auto-clustering to compile the
   * graph's supported operations ({@code global_jit_level ON_1}, what
   * {@code tf.config.optimizer.set_jit(True)} sets).
   */
  static ConfigProto sessionConfig(int threads, Xla xla) {
    ConfigProto.Builder b = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(1);
    if (xla != Xla.OFF) {
      b.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
          OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
    }
    return b.build();
  }

  /**
   * The child of {@code parent} under {@code key}, built by {@code build} the first time; the
   * builder may set {@code placeholder[0]} to a placeholder fed on every visit.
   */
  synchronized TraceNode child(TraceNode parent, String key,
      Function<Operand<?>[], Operand<?>> build) {
    TraceNode n = parent.children.get(key);
    if (n == null) {
      Operand<?>[] placeholder = new Operand<?>[1];
      Output<?> out = build.apply(placeholder).asOutput();
      n = new TraceNode(++nextId, out, shapeOf(out, key), dtypeOf(out));
      n.placeholder = placeholder[0];
      parent.children.put(key, n);
    }
    return n;
  }

  /** The gradient node of {@code loss} with respect to the slabs, built the first time. */
  synchronized TraceNode gradients(TraceNode parent, TraceNode loss, Slab[] wrt) {
    StringBuilder key = new StringBuilder("grad:").append(loss.id);
    for (Slab s : wrt) {
      key.append(',').append(s.id);
    }
    String k = key.toString();
    TraceNode n = parent.children.get(k);
    if (n == null) {
      // only the slabs the loss depends on: TensorFlow refuses unreachable ones
      java.util.Set<org.tensorflow.GraphOperation> upstream =
          graph.subgraphTo(java.util.Set.of(loss.out));
      List<Slab> reachable = new java.util.ArrayList<>();
      for (Slab s : wrt) {
        if (upstream.contains(nodes(s).placeholder.op())) {
          reachable.add(s);
        }
      }
      Output<?>[] xs = new Output<?>[reachable.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = nodes(reachable.get(i)).placeholder.asOutput();
      }
      n = new TraceNode(++nextId, loss.out, loss.shape, loss.dtype);
      n.gradients = xs.length == 0 ? new Output<?>[0] : graph.addGradients(loss.out, xs);
      n.gradientSlabs = reachable.toArray(new Slab[0]);
      parent.children.put(k, n);
    }
    return n;
  }

  /** The placeholder standing for a slab in this graph. */
  synchronized Operand<TFloat32> placeholder(Slab s) {
    return nodes(s).placeholder;
  }

  /** The graph value of a variable: its piece of its slab's placeholder, reshaped. */
  synchronized Output<?> variable(TfVariable v) {
    return nodes(v.slab).variables[v.index];
  }

  private SlabNodes nodes(Slab s) {
    SlabNodes n = slabs.get(s);
    if (n == null) {
      Operand<TFloat32> p = frozen ? tf.constant(Shape.of(s.size), DataBuffers.of(
          TfRecorder.copy(s.values, s.size), true, false))
          : tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.size)));
      Output<?>[] vars = new Output<?>[s.sizes.length];
      List<Output<TFloat32>> pieces = s.sizes.length == 1 ? List.of(p.asOutput())
          : tf.splitV(p, tf.constant(s.sizes), tf.constant(0), (long) s.sizes.length).output();
      for (int i = 0; i < vars.length; i++) {
        Operand<TFloat32> v = tf.reshape(pieces.get(i), tf.constant(TfRecorder.longs(s.shapes[i])));
        vars[i] = (s.trainable[i] ? v : tf.stopGradient(v)).asOutput();
      }
      n = new SlabNodes(p, vars);
      slabs.put(s, n);
    }
    return n;
  }

  static DType dtypeOf(Output<?> o) {
    Class<?> t = o.type();
    if (t == TFloat32.class) {
      return DType.FLOAT32;
    }
    if (t == TInt64.class || t == TInt32.class) {
      return DType.INT64;
    }
    if (t == TBool.class) {
      return DType.BOOL;
    }
    throw new IllegalStateException("unexpected TensorFlow type " + t.getSimpleName());
  }

  private static int[] shapeOf(Output<?> o, String key) {
    Shape s = o.shape();
    if (s.isUnknown() || s.hasUnknownDimension()) {
      throw new IllegalStateException("tensorflow backend: the shape of '" + key
          + "' is not known when traced (" + s + ")");
    }
    long[] d = s.asArray();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = Math.toIntExact(d[i]);
    }
    return out;
  }

  /** Traced operations so far. */
  synchronized int size() {
    return nextId;
  }

  synchronized void opened() {
    openSteps++;
  }

  /** A step on this graph closed: the graph closes after its last step once retired. */
  synchronized void stepClosed() {
    openSteps--;
    if (retired && openSteps == 0) {
      close();
    }
  }

  /** No new steps start here; closes now if none is open. */
  synchronized void retire() {
    retired = true;
    if (openSteps == 0) {
      close();
    }
  }

  @Override
  public synchronized void close() {
    if (session != null) {
      session.close();
      graph.close();
    }
  }
}
