package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Scope;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One scope of the tensorflow backend: a walk down the {@link TfGraph} trie from its root, the
 * tensors fed to the placeholders it visited, the values it has fetched, and the moving-average
 * assignments still to be applied. A value is computed when first read: the graph runs once for
 * it and for every value read at the same position in earlier steps (the trie remembers them),
 * so a train step (gradients, loss, outputs for the metrics) is one session run.
 */
final class Step implements Scope {
  private final TensorFlowBackend backend;
  final TfGraph graph;
  final Step outer;
  private TraceNode cursor;
  private boolean closed;
  /**
   * Opened for operations outside any scope: it stays open (its tensors stay readable) and holds
   * the thread's later scopes, until a new scope finds its graph full.
   */
  boolean ambient;
  private final List<Operand<?>> feedOps = new ArrayList<>();
  private final List<Tensor> feedTensors = new ArrayList<>();
  private final Set<Slab> slabs = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<TraceNode> visited = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<TraceNode, float[]> values = new IdentityHashMap<>();
  private final List<TfVariable> assignTargets = new ArrayList<>();
  private final List<TraceNode> assignValues = new ArrayList<>();

  Step(TensorFlowBackend backend, TfGraph graph, Step outer) {
    this.backend = backend;
    this.graph = graph;
    this.outer = outer;
    this.cursor = graph.root;
    graph.opened();
  }

  /** Visits (or builds) the next operation of the step. */
  TraceNode visit(String key, Function<Operand<?>[], Operand<?>> build) {
    checkOpen();
    cursor = graph.child(cursor, key, build);
    visited.add(cursor);
    return cursor;
  }

  /** Feeds a tensor to a placeholder for this step; the step closes it. */
  void feed(Operand<?> placeholder, Tensor value) {
    feedOps.add(placeholder);
    feedTensors.add(value);
  }

  /** Marks a slab as read by this step (its placeholder is fed on every run). */
  void use(Slab s) {
    slabs.add(s);
  }

  void assign(TfVariable target, TraceNode value) {
    assignTargets.add(target);
    assignValues.add(value);
  }

  /** Back-propagates: runs the graph for the loss's gradients, added into the slabs' gradients. */
  void backward(TraceNode loss) {
    checkOpen();
    List<Slab> wrt = new ArrayList<>();
    for (Step s = this; s != null; s = s.outer) {
      for (Slab slab : s.slabs) {
        if (slab.anyTrainable() && !wrt.contains(slab)) {
          wrt.add(slab);
        }
      }
    }
    wrt.sort((a, b) -> Integer.compare(a.id, b.id));
    cursor = graph.gradients(cursor, loss, wrt.toArray(new Slab[0]));
    visited.add(cursor);
    run(null, cursor);
  }

  /** The node's value, fetched if not read yet. */
  float[] value(TraceNode n) {
    if (closed) {
      throw new IllegalStateException("tensorflow backend: a tensor was read after its scope "
          + "closed");
    }
    float[] v = values.get(n);
    if (v == null) {
      Tensor fed = fedValue(n);
      if (fed != null) {
        // an input: TensorFlow refuses to fetch a fed placeholder, and its value is here
        v = floats(fed);
        values.put(n, v);
        return v;
      }
      run(n, null);
      v = values.get(n);
    }
    return v;
  }

  private boolean visitedInChain(TraceNode n) {
    for (Step s = this; s != null; s = s.outer) {
      if (s.visited.contains(n)) {
        return true;
      }
    }
    return false;
  }

  private void run(TraceNode demanded, TraceNode gradientNode) {
    if (graph.session == null) {
      throw new IllegalStateException("tensorflow backend: a value was read (or a variable "
          + "assigned) while the model was traced for export; exportSavedModel needs a model "
          + "whose inference call only builds operations");
    }
    List<TraceNode> fetch = new ArrayList<>();
    if (demanded != null) {
      fetch.add(demanded);
    }
    synchronized (graph) {
      for (TraceNode h : cursor.hints) {
        if (h != demanded && !values.containsKey(h) && visitedInChain(h)) {
          fetch.add(h);
        }
      }
      if (demanded != null && !cursor.hints.contains(demanded)) {
        cursor.hints.add(demanded);
      }
    }
    Session.Runner r = graph.session.runner();
    Set<Object> fed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Step s = this; s != null; s = s.outer) {
      s.feedInto(r, fed);
    }
    for (TraceNode n : fetch) {
      r.fetch(n.out);
    }
    int grads = 0;
    if (gradientNode != null) {
      for (org.tensorflow.Output<?> g : gradientNode.gradients) {
        if (g != null) {
          r.fetch(g);
          grads++;
        }
      }
    }
    for (TraceNode a : assignValues) {
      r.fetch(a.out);
    }
    try (Result res = r.run()) {
      int i = 0;
      for (TraceNode n : fetch) {
        values.put(n, floats(res.get(i++)));
      }
      if (gradientNode != null) {
        for (int k = 0; k < gradientNode.gradients.length; k++) {
          if (gradientNode.gradients[k] != null) {
            accumulate(gradientNode.gradientSlabs[k], (TFloat32) res.get(i++));
          }
        }
      }
      for (TfVariable target : assignTargets) {
        FloatBuffer src = Slab.view((TFloat32) res.get(i++), target.size());
        target.slab.values.put(target.offset, src, 0, target.size());
      }
      assignTargets.clear();
      assignValues.clear();
    }
  }

  /** Feeds this step's placeholders and slabs, each once across the chain of open scopes. */
  private void feedInto(Session.Runner r, Set<Object> fed) {
    for (int i = 0; i < feedOps.size(); i++) {
      if (fed.add(feedOps.get(i))) {
        r.feed(feedOps.get(i), feedTensors.get(i));
      }
    }
    for (Slab s : slabs) {
      if (fed.add(s)) {
        r.feed(graph.placeholder(s), s.tensor);
      }
    }
  }

  /** The tensor fed to an input node in this chain of scopes, or null. */
  private Tensor fedValue(TraceNode n) {
    if (n.placeholder == null || !n.placeholder.op().name().equals(n.out.op().name())) {
      return null;   // not an input (a dropout node's placeholder is its seed)
    }
    for (Step s = this; s != null; s = s.outer) {
      for (int i = s.feedOps.size() - 1; i >= 0; i--) {
        if (s.feedOps.get(i) == n.placeholder) {
          return s.feedTensors.get(i);
        }
      }
    }
    return null;
  }

  private static void accumulate(Slab slab, TFloat32 g) {
    FloatBuffer src = Slab.view(g, slab.size);
    FloatBuffer dst = slab.gradients;
    for (int j = 0; j < slab.size; j++) {
      dst.put(j, dst.get(j) + src.get(j));
    }
  }

  /** A fetched tensor's values as floats (int64 and bool converted). */
  static float[] floats(Tensor t) {
    int n = Math.toIntExact(t.shape().size());
    float[] out = new float[n];
    if (t instanceof TFloat32) {
      ((TFloat32) t).copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TInt64) {
      long[] l = new long[n];
      ((TInt64) t).copyTo(DataBuffers.of(l, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = l[i];
      }
    } else if (t instanceof TInt32) {
      int[] l = new int[n];
      ((TInt32) t).copyTo(DataBuffers.of(l, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = l[i];
      }
    } else if (t instanceof TBool) {
      boolean[] l = new boolean[n];
      ((TBool) t).copyTo(DataBuffers.of(l, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = l[i] ? 1f : 0f;
      }
    } else {
      throw new IllegalStateException("unexpected TensorFlow tensor " + t.dataType());
    }
    return out;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("tensorflow backend: an operation ran on a closed scope");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (!assignTargets.isEmpty()) {
        run(null, null);
      }
    } finally {
      closed = true;
      for (Tensor t : feedTensors) {
        t.close();
      }
      feedTensors.clear();
      backend.closed(this);
      graph.stepClosed();
    }
  }
}
