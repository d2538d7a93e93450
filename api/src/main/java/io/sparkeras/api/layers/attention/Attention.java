package io.sparkeras.api.layers.attention;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.config.Config;
import io.sparkeras.api.initializers.Ones;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Masks;
import io.sparkeras.api.layers.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Dot-product attention (Luong-style), as Keras's {@code Attention}: inputs
 * {@code [query (B, Tq, dim), value (B, Tv, dim)]} or {@code [query, value, key]} (key defaults
 * to value); scores {@code query @ key^T} (times a learned scalar {@code scale} with
 * {@code use_scale}), or with {@code score_mode="concat"}
 * {@code concat_score_weight * sum(tanh(scale * (q + k)))}; then
 * {@code softmax(scores) @ value}, shape {@code (B, Tq, dim)}.
 *
 * <p>Masks: the value's mask (and, with the {@code use_causal_mask} argument, the lower
 * triangle) keeps the masked keys out of the softmax (their scores are lowered by 1e9, as in
 * Keras); the query's mask zeroes the output at masked query steps and is passed on. With the
 * {@code return_attention_scores} argument the probabilities {@code (B, Tq, Tv)} are a second
 * output. Dropout on the probabilities applies in training only.
 *
 * <pre>{@code
 * KerasTensor out = new Attention().useScale(true).apply(List.of(query, value));
 * List<KerasTensor> both = new Attention().applyAll(List.of(query, value),
 *     Map.of("use_causal_mask", true, "return_attention_scores", true));
 * }</pre>
 */
public class Attention extends Layer {
  private boolean useScale;
  private String scoreMode = "dot";
  private double dropout;
  private Long seed;
  private Variable scale;
  private Variable concatScoreWeight;

  public Attention() {
    setSupportsMasking(true);
  }

  public static Attention fromConfig(Config c) {
    Attention a = new Attention();
    a.readConfig(c, false);
    a.scoreMode(c.getString("score_mode", "dot"));
    return a;
  }

  /** Reads the keys Attention and AdditiveAttention share. */
  void readConfig(Config c, boolean useScaleDefault) {
    name(c.getString("name", null));
    trainable(c.getBoolean("trainable", true));
    useScale(c.getBoolean("use_scale", useScaleDefault));
    dropout(c.getDouble("dropout", 0.0));
    if (c.has("seed")) {
      seed((long) c.getInt("seed"));
    }
  }

  // ---- settings --------------------------------------------------------------------------

  /** Learn a scale for the scores (Keras default false; AdditiveAttention true). */
  public Attention useScale(boolean useScale) {
    requireUnbuilt("use_scale");
    this.useScale = useScale;
    return this;
  }

  /** "dot" (default) or "concat". */
  public Attention scoreMode(String scoreMode) {
    if (!"dot".equals(scoreMode) && !"concat".equals(scoreMode)) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
          .getSimpleName() + ") score_mode: expected \"dot\" or \"concat\", found \""
          + scoreMode + "\"");
    }
    requireUnbuilt("score_mode");
    this.scoreMode = scoreMode;
    return this;
  }

  /** Dropout rate on the attention probabilities, in training only (default 0). */
  public Attention dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
          .getSimpleName() + ") dropout: expected a value in [0, 1), found " + rate);
    }
    this.dropout = rate;
    return this;
  }

  /** Seed kept in the config (Keras's dropout seed). */
  public Attention seed(Long seed) {
    this.seed = seed;
    return this;
  }

  private void requireUnbuilt(String key) {
    if (isBuilt()) {
      throw new IllegalStateException("layer '" + getName() + "' is built: set " + key
          + " before use, it changes the weights");
    }
  }

  public boolean isUseScale() {
    return useScale;
  }

  public String scoreMode() {
    return scoreMode;
  }

  /** The learned scale, or null. */
  public Variable scale() {
    return scale;
  }

  // ---- the life cycle --------------------------------------------------------------------

  /** Checks that the layer got {@code [query, value]} or {@code [query, value, key]}. */
  protected final void checkInputs(List<int[]> shapes) {
    if (shapes.size() != 2 && shapes.size() != 3) {
      throw new IllegalArgumentException("layer '" + getName() + "' (" + getClass()
          .getSimpleName() + ") expects a list of inputs [query, value] or [query, value, key], "
          + "found " + shapes.size() + " input" + (shapes.size() == 1 ? "" : "s"));
    }
    for (int[] s : shapes) {
      requireRank(s, 2, "(None, steps, dim) for query, value and key");
    }
  }

  @Override
  public void build(int[] inputShape) {
    checkInputs(List.of(inputShape));
  }

  @Override
  public void build(List<int[]> shapes) {
    checkInputs(shapes);
    buildScores(shapes.get(0)[1]);
  }

  /** Creates the score weights for queries with {@code dim} features. */
  protected void buildScores(int dim) {
    if (useScale) {
      scale = addWeight("scale", new int[0], new Ones(), true);
    }
    if (scoreMode.equals("concat")) {
      concatScoreWeight = addWeight("concat_score_weight", new int[0], new Ones(), true);
    }
  }

  /** The scores {@code (B, Tq, Tv)} of a query {@code (B, Tq, dim)} against a key. */
  protected Tensor scores(Tensor query, Tensor key) {
    if (scoreMode.equals("dot")) {
      Tensor s = ops().matmul(query, ops().transpose(key, 0, 2, 1));
      return scale == null ? s : ops().multiply(s, scale.value());
    }
    Tensor sum = ops().add(ops().expandDims(query, -2), ops().expandDims(key, -3));
    if (scale != null) {
      sum = ops().multiply(scale.value(), sum);
    }
    return ops().multiply(concatScoreWeight.value(), ops().sum(ops().tanh(sum), new int[] {-1},
        false));
  }

  @Override
  public List<Tensor> call(CallArgs args) {
    List<Tensor> in = args.inputs();
    checkInputs(shapesOf(in));
    Tensor q = in.get(0);
    Tensor v = in.get(1);
    Tensor k = in.size() > 2 ? in.get(2) : v;
    Tensor scores = scores(q, k);
    Tensor valueMask = Masks.asFloat(args.mask(1));
    // (batch, Tv) becomes (batch, 1, Tv); a mask given as (batch, 1 or Tq, Tv) is used as it is
    Tensor keep = valueMask == null || valueMask.rank() == 3 ? valueMask
        : ops().expandDims(valueMask, -2);
    if (args.flag("use_causal_mask", false)) {
      keep = Masks.and(keep, ops().tril(ops().ones(1, scores.dim(1), scores.dim(2)), 0));
    }
    if (keep != null) {
      scores = ops().subtract(scores, ops().multiply(ops().add(ops().negative(keep), 1.0), 1e9));
    }
    Tensor weights = ops().softmax(scores, -1);
    Tensor used = args.training() && dropout > 0 ? ops().dropout(weights, dropout) : weights;
    Tensor out = ops().matmul(used, v);
    if (args.mask(0) != null) {
      out = ops().multiply(out, ops().expandDims(Masks.asFloat(args.mask(0)), -1));
    }
    return args.flag("return_attention_scores", false) ? List.of(out, weights) : List.of(out);
  }

  private static List<int[]> shapesOf(List<Tensor> ts) {
    List<int[]> out = new ArrayList<>();
    for (Tensor t : ts) {
      out.add(Arrays.copyOfRange(t.shape(), 1, t.rank()));
    }
    return out;
  }

  @Override
  public Tensor call(List<Tensor> inputs, boolean training) {
    return call(CallArgs.of(inputs).training(training)).get(0);
  }

  @Override
  public int[] computeOutputShape(List<int[]> shapes) {
    checkInputs(shapes);
    return new int[] {shapes.get(0)[0], shapes.get(1)[1]};
  }

  @Override
  public List<int[]> computeOutputShapes(List<int[]> shapes, Map<String, Object> args) {
    int[] out = computeOutputShape(shapes);
    if (!Boolean.TRUE.equals(args.get("return_attention_scores"))) {
      return List.of(out);
    }
    int[] key = shapes.size() > 2 ? shapes.get(2) : shapes.get(1);
    return List.of(out, new int[] {shapes.get(0)[0], key[0]});
  }

  /** Keras: the query's mask on the output. */
  @Override
  public List<Tensor> computeMask(CallArgs args, List<Tensor> outputs) {
    List<Tensor> out = new ArrayList<>(Collections.nCopies(outputs.size(), (Tensor) null));
    out.set(0, args.mask(0));
    return out;
  }

  /** The config keys Attention and AdditiveAttention share. */
  Map<String, Object> baseConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("use_scale", useScale);
    return m;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = baseConfig();
    m.put("score_mode", scoreMode);
    m.put("dropout", dropout);
    if (seed != null) {
      m.put("seed", seed);
    }
    return m;
  }

  double dropoutRate() {
    return dropout;
  }

  Long seedValue() {
    return seed;
  }
}
