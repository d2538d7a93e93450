package io.sparkeras.api.layers.merging;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.LayerConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Dot}: the dot product of two inputs along one axis of each ({@code axes}, counted
 * in the full shape; one value for both, or a pair), per sample, as Keras's {@code batch_dot}: the
 * output keeps the first input's other axes, then the second's ({@code (b, n) . (b, n)} gives
 * {@code (b, 1)}). With {@code normalize} both are L2-normalised along those axes first, so the
 * result is the cosine similarity.
 *
 * <pre>{@code
 * KerasTensor cosine = new Dot(1).normalize(true).apply(a, b);         // (None, 1)
 * KerasTensor scores = new Dot(2, 2).apply(queries, keys);            // (None, q, k)
 * }</pre>
 */
public class Dot extends Layer {
  private final int[] axes;
  private final boolean axesPair;
  private boolean normalize;

  /** The same axis of both inputs. */
  public Dot(int axes) {
    this(new int[] {axes, axes}, false);
  }

  /** One axis of each input. */
  public Dot(int axis1, int axis2) {
    this(new int[] {axis1, axis2}, true);
  }

  private Dot(int[] axes, boolean pair) {
    this.axes = axes;
    this.axesPair = pair;
  }

  public static Dot fromConfig(Config c) {
    Dot d = c.get("axes") instanceof List ? new Dot(c.getInts("axes", 2), true)
        : new Dot(c.getInt("axes"));
    LayerConfigs.base(d, c);
    return d.normalize(c.getBoolean("normalize", false));
  }

  /** L2-normalise both inputs along their axes first (cosine similarity); default false. */
  public Dot normalize(boolean normalize) {
    this.normalize = normalize;
    return this;
  }

  /** The two axes as indices of full shapes of these ranks (batch included), checked. */
  private int[] resolve(int rank1, int rank2) {
    int[] a = new int[2];
    int[] ranks = {rank1, rank2};
    for (int i = 0; i < 2; i++) {
      a[i] = axes[i] < 0 ? Math.floorMod(axes[i], ranks[i]) : axes[i];
      if (a[i] < 1 || a[i] >= ranks[i]) {
        throw new IllegalArgumentException("layer '" + getName() + "' (Dot): axes "
            + Arrays.toString(axes) + " do not name a non-batch axis of inputs of ranks " + rank1
            + " and " + rank2 + " (batch included)");
      }
    }
    return a;
  }

  @Override
  public void build(List<int[]> inputShapes) {
    computeOutputShape(inputShapes);
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    if (inputs.size() != 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Dot) expects exactly 2 "
          + "inputs, found " + inputs.size());
    }
    Tensor x = inputs.get(0);
    Tensor y = inputs.get(1);
    int[] a = resolve(x.rank(), y.rank());
    if (normalize) {
      x = ops().normalize(x, new int[] {a[0]}, 1e-7);
      y = ops().normalize(y, new int[] {a[1]}, 1e-7);
    }
    // batch_dot as one einsum: batch 'a', contracted 'b', the other axes from 'c' on
    StringBuilder sx = new StringBuilder("a");
    StringBuilder sy = new StringBuilder("a");
    StringBuilder out = new StringBuilder("a");
    char next = 'c';
    for (int i = 1; i < x.rank(); i++) {
      if (i == a[0]) {
        sx.append('b');
      } else {
        sx.append(next);
        out.append(next++);
      }
    }
    for (int i = 1; i < y.rank(); i++) {
      if (i == a[1]) {
        sy.append('b');
      } else {
        sy.append(next);
        out.append(next++);
      }
    }
    Tensor r = ops().einsum(sx + "," + sy + "->" + out, List.of(x, y));
    return r.rank() == 1 ? ops().expandDims(r, 1) : r;
  }

  @Override
  public int[] computeOutputShape(List<int[]> inputShapes) {
    if (inputShapes.size() != 2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Dot) expects exactly 2 "
          + "inputs, found " + inputShapes.size());
    }
    int[] s1 = inputShapes.get(0);
    int[] s2 = inputShapes.get(1);
    int[] a = resolve(s1.length + 1, s2.length + 1);
    int d1 = s1[a[0] - 1];
    int d2 = s2[a[1] - 1];
    if (d1 >= 0 && d2 >= 0 && d1 != d2) {
      throw new IllegalArgumentException("layer '" + getName() + "' (Dot): axis " + a[0] + " of "
          + shapeString(s1) + " has size " + d1 + " but axis " + a[1] + " of " + shapeString(s2)
          + " has size " + d2);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < s1.length; i++) {
      if (i != a[0] - 1) {
        out.add(s1[i]);
      }
    }
    for (int i = 0; i < s2.length; i++) {
      if (i != a[1] - 1) {
        out.add(s2[i]);
      }
    }
    if (out.isEmpty()) {
      out.add(1);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("axes", axesPair ? List.of(axes[0], axes[1]) : (Object) axes[0]);
    m.put("normalize", normalize);
    return m;
  }
}
