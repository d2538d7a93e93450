package io.sparkeras.api.metrics;

import io.sparkeras.api.config.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Area under the ROC or precision-recall curve, approximated as Keras's {@code keras.metrics.AUC}
 * does: true/false positive and negative counts at {@code numThresholds} thresholds
 * ({@code -1e-7}, {@code i / (numThresholds - 1)} for {@code i = 1 .. numThresholds - 2}, and
 * {@code 1 + 1e-7}), a prediction being positive when strictly above a threshold, then a Riemann
 * sum over the curve: mid-point ("interpolation", the default), "minoring" or "majoring"; PR with
 * interpolation uses Keras's Davis & Goadrich closed form. Evenly spaced thresholds use Keras's
 * bucket form ({@code ceil(p * (n - 1)) - 1} on predictions clipped to [0, 1]); explicit
 * {@code thresholds} compare each prediction directly. Targets count as positive when non-zero.
 * {@code multi_label}, {@code num_labels} and {@code label_weights} are not supported.
 *
 * <pre>{@code model.compile(new Adam(1e-3), Losses.binaryCrossentropy(), new AUC()); }</pre>
 */
public final class AUC extends Metric {
  private static final double EPSILON = 1e-7;

  /** Which curve to integrate. */
  public enum Curve {
    ROC,
    PR
  }

  /** How each interval's height is chosen. */
  public enum SummationMethod {
    INTERPOLATION,
    MINORING,
    MAJORING
  }

  private final int numThresholds;
  private final Curve curve;
  private final SummationMethod summationMethod;
  private final boolean fromLogits;
  /** The user's thresholds (sorted), or null for the evenly spaced default. */
  private final List<Double> initThresholds;
  private final double[] thresholds;
  private final boolean evenlyDistributed;
  private final double[] tp;
  private final double[] fp;
  private final double[] tn;
  private final double[] fn;

  public AUC() {
    this(200, Curve.ROC, SummationMethod.INTERPOLATION, "auc", null, false);
  }

  public AUC(int numThresholds, Curve curve) {
    this(numThresholds, curve, SummationMethod.INTERPOLATION, "auc", null, false);
  }

  /**
   * @param numThresholds number of thresholds (> 1), ignored when {@code thresholds} is given
   * @param thresholds null, or explicit thresholds in [0, 1]; -1e-7 and 1 + 1e-7 are added
   * @param fromLogits apply a sigmoid to predictions first
   */
  public AUC(int numThresholds, Curve curve, SummationMethod summationMethod, String name,
      List<Double> thresholds, boolean fromLogits) {
    super(name);
    String owner = "AUC '" + name + "'";
    if (curve == null || summationMethod == null) {
      throw new IllegalArgumentException(owner + ": curve and summation_method are required");
    }
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.fromLogits = fromLogits;
    List<Double> inner = new ArrayList<>();
    if (thresholds != null) {
      for (Double t : thresholds) {
        if (t == null || !(t >= 0 && t <= 1)) {
          throw new IllegalArgumentException(owner + ": thresholds expected values in [0, 1], "
              + "found " + thresholds);
        }
        inner.add(t);
      }
      inner.sort(null);
      this.numThresholds = inner.size() + 2;
      this.initThresholds = List.copyOf(inner);
      List<Double> withEnds = new ArrayList<>();
      withEnds.add(0.0);
      withEnds.addAll(inner);
      withEnds.add(1.0);
      this.evenlyDistributed = isEvenlyDistributed(withEnds);
    } else {
      if (numThresholds <= 1) {
        throw new IllegalArgumentException(owner + ": num_thresholds expected an integer > 1, "
            + "found " + numThresholds);
      }
      this.numThresholds = numThresholds;
      this.initThresholds = null;
      for (int i = 0; i < numThresholds - 2; i++) {
        inner.add((i + 1) * 1.0 / (numThresholds - 1));
      }
      this.evenlyDistributed = true;
    }
    this.thresholds = new double[this.numThresholds];
    this.thresholds[0] = 0.0 - EPSILON;
    for (int i = 0; i < inner.size(); i++) {
      this.thresholds[i + 1] = inner.get(i);
    }
    this.thresholds[this.numThresholds - 1] = 1.0 + EPSILON;
    tp = new double[this.numThresholds];
    fp = new double[this.numThresholds];
    tn = new double[this.numThresholds];
    fn = new double[this.numThresholds];
  }

  /** Keras's {@code is_evenly_distributed_thresholds}: allclose to {@code arange(n) / (n - 1)}. */
  private static boolean isEvenlyDistributed(List<Double> t) {
    int n = t.size();
    if (n < 3) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      double even = (float) i / (float) (n - 1);
      if (Math.abs(t.get(i) - even) > EPSILON + 1e-5 * Math.abs(even)) {
        return false;
      }
    }
    return true;
  }

  public static AUC fromConfig(Config c) {
    String name = c.getString("name", "auc");
    String owner = "AUC '" + name + "'";
    if (c.getBoolean("multi_label", false)) {
      throw new IllegalArgumentException(owner + ": config key 'multi_label' expected false "
          + "(multi-label AUC is not supported yet), found true");
    }
    if (c.has("num_labels")) {
      throw new IllegalArgumentException(owner + ": config key 'num_labels' expected null, found "
          + c.get("num_labels"));
    }
    if (c.has("label_weights")) {
      throw new IllegalArgumentException(owner + ": config key 'label_weights' is not supported "
          + "yet (expected null), found " + c.get("label_weights"));
    }
    List<Double> thresholds = null;
    if (c.has("thresholds")) {
      Object t = c.get("thresholds");
      if (!(t instanceof List)) {
        throw new IllegalArgumentException(owner + ": config key 'thresholds' expected a list of "
            + "numbers, found " + t);
      }
      thresholds = new ArrayList<>();
      for (Object o : (List<?>) t) {
        if (!(o instanceof Number)) {
          throw new IllegalArgumentException(owner + ": config key 'thresholds' expected a list "
              + "of numbers, found " + t);
        }
        thresholds.add(((Number) o).doubleValue());
      }
    }
    return new AUC(c.getInt("num_thresholds", 200), parseCurve(owner, c.getString("curve", "ROC")),
        parseSummation(owner, c.getString("summation_method", "interpolation")), name, thresholds,
        c.getBoolean("from_logits", false));
  }

  private static Curve parseCurve(String owner, String s) {
    switch (s) {
      case "ROC":
      case "roc":
        return Curve.ROC;
      case "PR":
      case "pr":
        return Curve.PR;
      default:
        throw new IllegalArgumentException(owner + ": config key 'curve' expected \"ROC\" or "
            + "\"PR\", found " + s);
    }
  }

  private static SummationMethod parseSummation(String owner, String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "interpolation":
        return SummationMethod.INTERPOLATION;
      case "minoring":
        return SummationMethod.MINORING;
      case "majoring":
        return SummationMethod.MAJORING;
      default:
        throw new IllegalArgumentException(owner + ": config key 'summation_method' expected "
            + "\"interpolation\", \"minoring\" or \"majoring\", found " + s);
    }
  }

  /** The thresholds in use, endpoints included. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  public int numThresholds() {
    return numThresholds;
  }

  public Curve curve() {
    return curve;
  }

  public SummationMethod summationMethod() {
    return summationMethod;
  }

  @Override
  public void updateState(float[] yTrue, float[] yPred, int rows, int[] predShape) {
    int per = product(predShape);
    if (yPred.length != (long) rows * per || yTrue.length != (long) rows * per) {
      throw new IllegalArgumentException(name() + ": this batch has " + yTrue.length
          + " target and " + yPred.length + " prediction values for " + rows + " samples; expected "
          + per + " of each per sample (prediction shape " + Arrays.toString(predShape) + ")");
    }
    int n = numThresholds;
    if (evenlyDistributed) {
      double[] posBucket = new double[n];
      double[] negBucket = new double[n];
      double positives = 0;
      double negatives = 0;
      float scale = (float) (n - 1);
      for (int i = 0; i < yPred.length; i++) {
        float p = Math.min(Math.max(prediction(yPred[i]), 0f), 1f);
        int bucket = Math.max((int) Math.ceil(p * scale) - 1, 0);
        if (yTrue[i] != 0) {
          posBucket[bucket]++;
          positives++;
        } else {
          negBucket[bucket]++;
          negatives++;
        }
      }
      double pos = 0;
      double neg = 0;
      for (int k = n - 1; k >= 0; k--) {
        pos += posBucket[k];
        neg += negBucket[k];
        tp[k] += pos;
        fp[k] += neg;
        fn[k] += positives - pos;
        tn[k] += negatives - neg;
      }
    } else {
      float[] th = new float[n];
      for (int k = 0; k < n; k++) {
        th[k] = (float) thresholds[k];
      }
      for (int i = 0; i < yPred.length; i++) {
        float p = prediction(yPred[i]);
        boolean label = yTrue[i] != 0;
        for (int k = 0; k < n; k++) {
          boolean predicted = p > th[k];
          if (label) {
            if (predicted) {
              tp[k]++;
            } else {
              fn[k]++;
            }
          } else if (predicted) {
            fp[k]++;
          } else {
            tn[k]++;
          }
        }
      }
    }
  }

  private float prediction(float v) {
    return fromLogits ? (float) (1 / (1 + Math.exp(-v))) : v;
  }

  private static double divideNoNan(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  @Override
  public double result() {
    int n = numThresholds;
    if (curve == Curve.PR && summationMethod == SummationMethod.INTERPOLATION) {
      return interpolatePrAuc();
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int k = 0; k < n; k++) {
      double recall = divideNoNan(tp[k], tp[k] + fn[k]);
      if (curve == Curve.ROC) {
        x[k] = divideNoNan(fp[k], fp[k] + tn[k]);
        y[k] = recall;
      } else {
        x[k] = recall;
        y[k] = divideNoNan(tp[k], tp[k] + fp[k]);
      }
    }
    double sum = 0;
    for (int k = 0; k < n - 1; k++) {
      double height;
      switch (summationMethod) {
        case INTERPOLATION:
          height = (y[k] + y[k + 1]) / 2;
          break;
        case MINORING:
          height = Math.min(y[k], y[k + 1]);
          break;
        default:
          height = Math.max(y[k], y[k + 1]);
      }
      sum += (x[k] - x[k + 1]) * height;
    }
    return sum;
  }

  /** Keras's {@code interpolate_pr_auc} (Davis & Goadrich 2006, in closed form). */
  private double interpolatePrAuc() {
    double sum = 0;
    for (int k = 0; k < numThresholds - 1; k++) {
      double dtp = tp[k] - tp[k + 1];
      double pA = tp[k] + fp[k];
      double pB = tp[k + 1] + fp[k + 1];
      double slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      double intercept = tp[k + 1] - slope * pB;
      double ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1.0;
      sum += divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
          Math.max(tp[k + 1] + fn[k + 1], 0));
    }
    return sum;
  }

  @Override
  public void resetState() {
    Arrays.fill(tp, 0);
    Arrays.fill(fp, 0);
    Arrays.fill(tn, 0);
    Arrays.fill(fn, 0);
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("num_thresholds", numThresholds);
    m.put("curve", curve.name());
    m.put("summation_method", summationMethod.name().toLowerCase(Locale.ROOT));
    m.put("multi_label", false);
    m.put("num_labels", null);
    m.put("label_weights", null);
    m.put("from_logits", fromLogits);
    if (initThresholds != null) {
      m.put("thresholds", new ArrayList<>(initThresholds));
    }
    return m;
  }
}
