package io.sparkeras.backend.tensorflow;

import io.sparkeras.api.backend.Ops;
import io.sparkeras.api.backend.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code einsum} of one or two operands lowered to operations whose gradients TensorFlow's C++
 * registry has ({@code Sum}, {@code Transpose}, {@code Reshape}, {@code MatMul} /
 * {@code BatchMatMulV2}): its own {@code Einsum} operation has no C++ gradient, so
 * {@code EinsumDense} and {@code Dot} could not train. Shapes are static when traced, so
 * ellipses become concrete labels; then labels summed in one operand only are reduced first, and
 * the rest is one (batched) matrix product {@code [batch, kept_a, contracted] x [batch,
 * contracted, kept_b]}, reshaped and transposed to the output's order, as TensorFlow's Python
 * {@code einsum} does. Returns null for what it does not lower (three or more operands, a label
 * repeated within one operand: diagonals), which the caller computes with {@code Einsum}, forward
 * only.
 *
 * <pre>{@code
 * EinsumLowering.lower(ops, "abc,cd->abd", List.of(x, kernel));   // EinsumDense's kernel
 * }</pre>
 */
final class EinsumLowering {
  private final Ops o;
  /** Each label's dimension. */
  private final int[] size = new int[128];

  private EinsumLowering(Ops o) {
    this.o = o;
  }

  /** The lowered einsum, or null where it is not lowered. */
  static Tensor lower(Ops o, String equation, List<Tensor> operands) {
    return new EinsumLowering(o).run(equation.replace(" ", ""), operands);
  }

  private Tensor run(String equation, List<Tensor> operands) {
    int arrow = equation.indexOf("->");
    if (arrow < 0 || operands.isEmpty() || operands.size() > 2) {
      return null;
    }
    String[] ins = equation.substring(0, arrow).split(",", -1);
    if (ins.length != operands.size()) {
      throw new IllegalArgumentException("einsum: equation '" + equation + "' names "
          + ins.length + " operands, found " + operands.size());
    }
    String out = equation.substring(arrow + 2);
    int ellipsis = 0;
    for (int i = 0; i < ins.length; i++) {
      ellipsis = Math.max(ellipsis, ellipsisRank(ins[i], operands.get(i), equation));
    }
    List<Tensor> xs = new ArrayList<>(operands);
    for (int i = 0; i < ins.length; i++) {
      ins[i] = expand(ins[i], ellipsisRank(ins[i], operands.get(i), equation), ellipsis);
      if (!distinct(ins[i]) || ins[i].length() != operands.get(i).rank()) {
        return null;
      }
    }
    out = expand(out, ellipsis, ellipsis);
    if (ins.length == 2) {
      // a size-1 axis facing a longer one broadcasts: drop it from its operand
      String[] labels = ins.clone();
      xs.set(0, squeezeBroadcast(xs.get(0), ins, 0, labels[1], operands.get(1).shape()));
      xs.set(1, squeezeBroadcast(xs.get(1), ins, 1, labels[0], operands.get(0).shape()));
    }
    for (int i = 0; i < ins.length; i++) {
      int[] s = xs.get(i).shape();
      for (int k = 0; k < s.length; k++) {
        char c = ins[i].charAt(k);
        if (size[c] != 0 && size[c] != s[k]) {
          throw new IllegalArgumentException("einsum '" + equation + "': label '" + c
              + "' is " + size[c] + " and " + s[k]);
        }
        size[c] = s[k];
      }
    }
    for (char c : out.toCharArray()) {
      if (ins[0].indexOf(c) < 0 && (ins.length < 2 || ins[1].indexOf(c) < 0)) {
        throw new IllegalArgumentException("einsum '" + equation + "': output label '" + c
            + "' is in no operand");
      }
    }
    String other = ins.length == 2 ? ins[1] : "";
    Tensor a = reduceOnly(xs.get(0), ins, 0, out + other);
    if (ins.length == 1) {
      return permute(a, ins[0], out);
    }
    Tensor b = reduceOnly(xs.get(1), ins, 1, out + ins[0]);
    return product(a, ins[0], b, ins[1], out);
  }

  /** {@code [batch, keptA, contracted] x [batch, contracted, keptB]}, then the output's order. */
  private Tensor product(Tensor a, String la, Tensor b, String lb, String out) {
    StringBuilder batch = new StringBuilder();
    StringBuilder keptA = new StringBuilder();
    StringBuilder contracted = new StringBuilder();
    StringBuilder keptB = new StringBuilder();
    for (char c : la.toCharArray()) {
      boolean inB = lb.indexOf(c) >= 0;
      boolean inOut = out.indexOf(c) >= 0;
      (inB ? (inOut ? batch : contracted) : keptA).append(c);
    }
    for (char c : lb.toCharArray()) {
      if (la.indexOf(c) < 0) {
        keptB.append(c);
      }
    }
    String bt = batch.toString();
    String ka = keptA.toString();
    String ct = contracted.toString();
    String kb = keptB.toString();
    int m = volume(ka);
    int k = volume(ct);
    int n = volume(kb);
    Tensor x = permute(a, la, bt + ka + ct);
    Tensor y = permute(b, lb, bt + ct + kb);
    Tensor z;
    if (bt.isEmpty()) {
      z = o.matmul(o.reshape(x, m, k), o.reshape(y, k, n));
    } else {
      int batches = volume(bt);
      z = o.matmul(o.reshape(x, batches, m, k), o.reshape(y, batches, k, n));
    }
    String labels = bt + ka + kb;
    return permute(o.reshape(z, dims(labels)), labels, out);
  }

  /** Sums the labels of operand {@code i} that neither the output nor the other operand has. */
  private Tensor reduceOnly(Tensor x, String[] ins, int i, String elsewhere) {
    String l = ins[i];
    List<Integer> axes = new ArrayList<>();
    StringBuilder kept = new StringBuilder();
    for (int k = 0; k < l.length(); k++) {
      if (elsewhere.indexOf(l.charAt(k)) < 0) {
        axes.add(k);
      } else {
        kept.append(l.charAt(k));
      }
    }
    if (axes.isEmpty()) {
      return x;
    }
    ins[i] = kept.toString();
    return o.sum(x, axes.stream().mapToInt(Integer::intValue).toArray(), false);
  }

  /** Drops operand {@code i}'s size-1 axes whose label is longer in the other operand. */
  private Tensor squeezeBroadcast(Tensor x, String[] ins, int i, String otherLabels,
      int[] otherShape) {
    int[] s = x.shape();
    StringBuilder kept = new StringBuilder();
    List<Integer> shape = new ArrayList<>();
    for (int k = 0; k < s.length; k++) {
      char c = ins[i].charAt(k);
      int at = otherLabels.indexOf(c);
      if (s[k] == 1 && at >= 0 && otherShape[at] > 1) {
        continue;
      }
      kept.append(c);
      shape.add(s[k]);
    }
    if (kept.length() == s.length) {
      return x;
    }
    ins[i] = kept.toString();
    return o.reshape(x, shape.stream().mapToInt(Integer::intValue).toArray());
  }

  private Tensor permute(Tensor x, String from, String to) {
    if (from.equals(to)) {
      return x;
    }
    int[] perm = new int[to.length()];
    for (int k = 0; k < perm.length; k++) {
      perm[k] = from.indexOf(to.charAt(k));
    }
    return o.transpose(x, perm);
  }

  private int volume(String labels) {
    int v = 1;
    for (char c : labels.toCharArray()) {
      v *= size[c];
    }
    return v;
  }

  private int[] dims(String labels) {
    int[] d = new int[labels.length()];
    for (int k = 0; k < d.length; k++) {
      d[k] = size[labels.charAt(k)];
    }
    return d;
  }

  private static boolean distinct(String labels) {
    return labels.chars().distinct().count() == labels.length();
  }

  private static int ellipsisRank(String labels, Tensor x, String equation) {
    if (!labels.contains("...")) {
      return 0;
    }
    int r = x.rank() - (labels.length() - 3);
    if (r < 0) {
      throw new IllegalArgumentException("einsum '" + equation + "': operand of rank "
          + x.rank() + " for '" + labels + "'");
    }
    return r;
  }

  /** Replaces "..." by the last {@code rank} of {@code total} ellipsis labels (digits here). */
  private static String expand(String labels, int rank, int total) {
    if (!labels.contains("...")) {
      return labels;
    }
    StringBuilder e = new StringBuilder();
    for (int k = total - rank; k < total; k++) {
      e.append((char) ('0' + k));
    }
    return labels.replace("...", e);
  }
}
