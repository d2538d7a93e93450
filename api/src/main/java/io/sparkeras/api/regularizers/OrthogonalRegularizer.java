package io.sparkeras.api.regularizers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import java.util.Map;

/**
 * Keras's {@code OrthogonalRegularizer}: for a rank-2 weight, the rows ({@code mode="rows"},
 * default) or columns are L2-normalised and the penalty is
 * {@code factor * 0.5 * sum(|off-diagonal entries of their Gram matrix|) / (n (n - 1) / 2)}, which
 * pushes them towards being orthogonal. Default factor 0.01.
 *
 * <pre>{@code new Dense(16).kernelRegularizer(new OrthogonalRegularizer(0.01, "columns")); }</pre>
 */
public final class OrthogonalRegularizer extends Regularizer {
  private final double factor;
  private final String mode;

  public OrthogonalRegularizer() {
    this(0.01, "rows");
  }

  public OrthogonalRegularizer(double factor, String mode) {
    this.factor = factor("OrthogonalRegularizer", "factor", factor);
    if (!"rows".equals(mode) && !"columns".equals(mode)) {
      throw new IllegalArgumentException("OrthogonalRegularizer mode: expected 'rows' or "
          + "'columns', found '" + mode + "'");
    }
    this.mode = mode;
  }

  public static OrthogonalRegularizer fromConfig(Config c) {
    return new OrthogonalRegularizer(c.getDouble("factor", 0.01), c.getString("mode", "rows"));
  }

  @Override
  public Tensor call(Tensor x) {
    if (x.rank() != 2) {
      throw new IllegalArgumentException("OrthogonalRegularizer: expected a weight of rank 2, "
          + "found shape " + java.util.Arrays.toString(x.shape()));
    }
    boolean rows = mode.equals("rows");
    Tensor n = ops().normalize(x, new int[] {rows ? 1 : 0}, 1e-7);
    Tensor nt = ops().transpose(n, 1, 0);
    Tensor product = rows ? ops().matmul(n, nt) : ops().matmul(nt, n);
    int size = x.dim(rows ? 0 : 1);
    float[] offDiagonal = new float[size * size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        offDiagonal[i * size + j] = i == j ? 0f : 1f;
      }
    }
    Tensor sum = ops().sum(ops().abs(ops().multiply(product, ops().constant(offDiagonal, size,
        size))));
    double pairs = size * (size - 1.0) / 2.0;
    return ops().multiply(sum, factor * 0.5 / pairs);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = Config.newMap();
    m.put("factor", factor);
    m.put("mode", mode);
    return m;
  }
}
