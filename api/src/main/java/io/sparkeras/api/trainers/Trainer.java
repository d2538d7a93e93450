package io.sparkeras.api.trainers;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.api.backend.Scope;
import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.callbacks.CallbackList;
import io.sparkeras.api.callbacks.History;
import io.sparkeras.api.data.Batch;
import io.sparkeras.api.data.NDArray;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.losses.Loss;
import io.sparkeras.api.metrics.Mean;
import io.sparkeras.api.metrics.Metric;
import io.sparkeras.api.models.CompileOptions;
import io.sparkeras.api.models.FitOptions;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.core.constraints.RangeConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Training of one model, like Keras's {@code Trainer}: the compile state (optimizer, compiled
 * loss and metrics, the loss tracker), the train step, and the {@code fit}, {@code evaluate} and
 * {@code predict} loops. Every {@link Model} owns one and exposes it through its own methods
 * ({@code model.compile}, {@code model.fit}, ...), as Keras's {@code Model} inherits them.
 *
 * <pre>{@code
 * model.compile(new Adam(1e-3), Losses.sparseCategoricalCrossentropy(), Metrics.accuracy());
 * History h = model.fit(x, y, FitOptions.epochs(5));   // runs this class's fit
 * }</pre>
 */
public final class Trainer {
  private final Model model;
  private final Mean lossTracker = new Mean("loss");
  private Optimizer optimizer;
  private CompileLoss loss;
  private CompileMetrics metrics = new CompileMetrics(List.of(), List.of());
  private Penalties penalties = Penalties.NONE;

  /** The trainer of {@code model}; models make their own. */
  public Trainer(Model model) {
    this.model = model;
  }

  // ---- compile -----------------------------------------------------------------------------

  /** Configures training with one loss per output ({@code model.compile}). */
  public void compile(Optimizer optimizer, List<Loss> losses, List<Metric> metrics) {
    compile(optimizer, CompileOptions.losses(losses).metrics(metrics.toArray(new Metric[0])));
  }

  /**
   * Configures training ({@code model.compile}): losses, loss weights, metrics and weighted
   * metrics, per output by name or for every output ({@link CompileOptions}).
   */
  public void compile(Optimizer optimizer, CompileOptions options) {
    if (optimizer == null) {
      throw new IllegalArgumentException("compile: optimizer is required");
    }
    List<int[]> outputs = model.outputShapes();
    List<String> names = outputs == null ? List.of() : model.outputNames();
    List<Loss> losses = options.resolveLosses(names);
    if (!names.isEmpty() && losses.size() != names.size()) {
      throw new IllegalArgumentException("compile: model '" + model.getName() + "' has "
          + names.size() + " outputs, found " + losses.size() + " losses");
    }
    double[] weights = options.resolveLossWeights(names.isEmpty()
        ? java.util.Collections.nCopies(losses.size(), "output") : names);
    List<String> keyNames = names.isEmpty() ? null : names;
    CompileMetrics ms = new CompileMetrics(options.resolveMetrics(names),
        options.resolveWeightedMetrics(names));
    this.optimizer = optimizer;
    this.loss = new CompileLoss(losses, weights, keyNames);
    this.metrics = ms;
  }

  public boolean isCompiled() {
    return optimizer != null;
  }

  public Optimizer getOptimizer() {
    return optimizer;
  }

  /** The losses given to compile, one per output; null before compile. */
  public List<Loss> getLosses() {
    return loss == null ? null : loss.losses();
  }

  /** The metrics given to compile for the first output (unresolved). */
  public List<Metric> getCompiledMetrics() {
    List<List<Metric>> p = metrics.plain();
    return p.isEmpty() ? List.of() : p.get(0);
  }

  /** The metrics given to compile, per output (unresolved). */
  public List<List<Metric>> metricsPerOutput() {
    return metrics.plain();
  }

  /** The weighted metrics given to compile, per output (unresolved). */
  public List<List<Metric>> weightedMetricsPerOutput() {
    return metrics.weighted();
  }

  /** The loss weights given to compile, one per output, or null. */
  public double[] getLossWeights() {
    return loss == null ? null : loss.weights();
  }

  /**
   * The model checked its flat vector's layout (after a build or a compile): the trainable
   * weights' regularizers and constraints are laid out on it again, and when the weights were
   * packed into a new vector ({@code repacked}) the optimizer's state is laid out afresh.
   *
   * @param weights the model's weights in flat-vector order
   * @param trainable those of them the optimizer updates
   */
  public void weightsLaidOut(List<Variable> weights, Set<Variable> trainable,
      ParameterBlock block, boolean repacked) {
    penalties = Penalties.of(weights, trainable);
    if (repacked && optimizer != null) {
      optimizer.build(block.size(), model.trainableRanges());
    }
  }

  /**
   * The trainable weights' constraints as ranges of the flat vector, as of the model's last
   * {@code parameterBlock()} ({@code model.constraintRanges()}).
   */
  public List<RangeConstraint> constraintRanges() {
    return penalties.ranges();
  }

  private void requireCompiled(String what) {
    if (optimizer == null) {
      throw new IllegalStateException("model '" + model.getName() + "': call compile(optimizer, "
          + "loss, metrics...) before " + what);
    }
  }

  private ParameterBlock prepareTraining() {
    requireCompiled("fit");
    ParameterBlock b = model.parameterBlock();
    if (!optimizer.isBuilt()) {
      optimizer.build(b.size(), model.trainableRanges());
    }
    metrics.resolve(loss.losses(), model.outputShapes(), model.outputNames());
    return b;
  }

  // ---- the train step ------------------------------------------------------------------------

  /**
   * Forward and backward on one batch: leaves the mean gradient in the model's
   * {@code parameterBlock().gradients()} and returns the batch loss. The optimizer is not
   * applied (the distributed worker ships the gradient instead). Metrics are updated.
   */
  public double computeGradients(Batch batch) {
    ParameterBlock pb = prepareTraining();
    DataChecks.batch(model, batch, loss);
    try (Scope s = Backends.current().scope(true)) {
      pb.zeroGradients();
      List<Tensor> xs = toTensors(batch.inputs());
      // what layers add while called (activity regularizers, add_loss), then weight penalties
      List<Tensor> added = new ArrayList<>();
      List<Tensor> outs = Layer.collectLosses(added, () -> model.callAll(xs, true));
      Tensor total = penalties.addTo(loss.total(outs, batch), added);
      // checked before backward: a worker may ship gradients while backward runs
      double value = total.item();
      if (!Double.isFinite(value)) {
        throw new ArithmeticException("model '" + model.getName() + "': the loss became " + value
            + " (check the learning rate and the data for extreme values)");
      }
      Backends.current().backward(total);
      pb.gradientsToHost();
      lossTracker.update(value, batch.size());
      metrics.update(batch, outs);
      return value;
    }
  }

  /** One optimizer step with the gradients left by {@link #computeGradients}. */
  public void applyGradients() {
    ParameterBlock pb = prepareTraining();
    optimizer.apply(pb.parameters(), pb.gradients());
    penalties.constrain(pb.parameters());
    pb.parametersToDevice();
  }

  /** Clears the loss and metric accumulators. */
  public void resetMetrics() {
    lossTracker.resetState();
    if (loss != null) {
      loss.reset();
    }
    metrics.reset();
  }

  /** The loss and metrics accumulated since the last reset. */
  public Map<String, Double> currentLogs() {
    return logs(tracked(lossTracker, loss == null ? List.of() : loss.trackers(), metrics));
  }

  /**
   * What the loss and metrics accumulated since the last reset, over {@code samples} samples,
   * as states that merge exactly with other workers' ({@link #mergeStates}).
   */
  public MetricStates currentStates(long samples) {
    return states(tracked(lossTracker, loss == null ? List.of() : loss.trackers(), metrics),
        samples);
  }

  /**
   * The logs of several workers' (or partitions') {@link #currentStates} or
   * {@link #evaluateStates} together, as if one process had seen all their batches: every
   * metric's state summed (exact for the loss, sample-mean metrics, AUC, precision, recall).
   */
  public Map<String, Double> mergeStates(List<MetricStates> parts) {
    prepareTraining();
    Map<String, Metric> fresh = tracked(new Mean("loss"), loss.freshTrackers(),
        metrics.freshCopy());
    return MetricStates.merge(parts, new ArrayList<>(fresh.keySet()),
        new ArrayList<>(fresh.values()));
  }

  /** The loss, the per-output losses and the metrics by log key, in log order. */
  private static Map<String, Metric> tracked(Mean total, List<Mean> perOutput,
      CompileMetrics ms) {
    Map<String, Metric> m = new LinkedHashMap<>();
    m.put("loss", total);
    for (Mean t : perOutput) {
      m.put(t.name(), t);
    }
    for (CompileMetrics.Entry e : ms.entries()) {
      m.put(e.key(), e.metric());
    }
    return m;
  }

  private static Map<String, Double> logs(Map<String, Metric> tracked) {
    Map<String, Double> logs = new LinkedHashMap<>();
    tracked.forEach((k, m) -> logs.put(k, m.result()));
    return logs;
  }

  private static MetricStates states(Map<String, Metric> tracked, long samples) {
    return MetricStates.of(new ArrayList<>(tracked.keySet()), new ArrayList<>(tracked.values()),
        samples);
  }

  private static List<Tensor> toTensors(List<NDArray> arrays) {
    List<Tensor> ts = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      ts.add(Backends.ops().fromArray(a.data(), a.offset(), a.shape()));
    }
    return ts;
  }

  private void buildFor(List<NDArray> x) {
    if (model.inputShapes() == null) {
      List<int[]> shapes = new ArrayList<>();
      for (NDArray a : x) {
        shapes.add(a.sampleShape());
      }
      model.ensureBuilt(shapes);
      model.build(shapes);
    }
  }

  // ---- fit -----------------------------------------------------------------------------------

  /** {@code model.fit} on in-memory arrays. */
  public History fit(List<NDArray> x, List<NDArray> y, FitOptions options) {
    requireCompiled("fit");
    if (x.isEmpty()) {
      throw new IllegalArgumentException("fit: no input arrays");
    }
    buildFor(x);
    DataChecks.shapes(model, x, y);
    DataChecks.finiteInputs(model, x, 0);
    for (int i = 0; i < y.size(); i++) {
      DataChecks.finite(y.get(i), "y[" + i + "]", 0);
    }
    InMemoryBatches[] data = InMemoryBatches.forFit(model, x, y, options);
    return run(data[0], data[0].batchCount(), data[1], options);
  }

  /** {@code model.fit} on an iterable of batches, iterated once per epoch. */
  public History fit(Iterable<Batch> data, FitOptions options) {
    requireCompiled("fit");
    Iterator<Batch> peek = data.iterator();
    if (!peek.hasNext()) {
      throw new IllegalArgumentException("fit: the batch iterator is empty");
    }
    buildFor(peek.next().inputs());
    if (options.sampleWeight() != null || options.classWeight() != null
        || options.validationSplit() > 0) {
      throw new IllegalArgumentException("fit on batches: sample and class weights travel in "
          + "the batches (Batch.sampleWeights), and validationSplit needs arrays");
    }
    return run(data, options.stepsPerEpoch(), InMemoryBatches.validation(options), options);
  }

  private History run(Iterable<Batch> data, int steps, InMemoryBatches val, FitOptions options) {
    prepareTraining();
    CallbackList callbacks = CallbackList.forFit(model, options, steps);
    return EpochLoop.run(model, callbacks, options.initialEpoch(), options.epochs(),
        new EpochLoop.Epochs() {
          @Override
          public Map<String, Double> train(int epoch, CallbackList cbs) {
            return trainEpoch(data, options.stepsPerEpoch(), cbs);
          }

          @Override
          public Map<String, Double> validate(int epoch) {
            return val == null ? Map.of() : evaluateBatches(val);
          }
        });
  }

  private Map<String, Double> trainEpoch(Iterable<Batch> data, int maxSteps,
      CallbackList callbacks) {
    resetMetrics();
    Map<String, Double> beginLogs = new LinkedHashMap<>();
    int step = 0;
    Iterator<Batch> it = data.iterator();
    while (it.hasNext() && (maxSteps < 0 || step < maxSteps)) {
      Batch batch = it.next();
      callbacks.onTrainBatchBegin(step, beginLogs);
      computeGradients(batch);
      applyGradients();
      callbacks.onTrainBatchEnd(step, currentLogs());
      step++;
    }
    callbacks.setSteps(step);
    return currentLogs();
  }

  // ---- evaluate ------------------------------------------------------------------------------

  /** {@code model.evaluate} on in-memory arrays. */
  public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, int batchSize) {
    return evaluate(x, y, null, batchSize);
  }

  /**
   * {@code model.evaluate(x, y, sample_weight=...)} on in-memory arrays: the loss and the
   * weighted metrics weigh each sample by {@code sampleWeight} (one value per sample; null: 1).
   */
  public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, NDArray sampleWeight,
      int batchSize) {
    requireCompiled("evaluate");
    buildFor(x);
    DataChecks.shapes(model, x, y);
    return evaluateBatches(new InMemoryBatches(x, y, sampleWeight, batchSize, false));
  }

  /** {@code model.evaluate} on an iterable of batches. */
  public Map<String, Double> evaluate(Iterable<Batch> data) {
    requireCompiled("evaluate");
    return evaluateBatches(data);
  }

  /**
   * {@link #evaluate(Iterable)} as states to merge with other partitions' ({@link
   * #mergeStates}): how the distributed evaluate computes exact results.
   */
  public MetricStates evaluateStates(Iterable<Batch> data) {
    requireCompiled("evaluate");
    long[] samples = new long[1];
    return states(evaluated(data, samples), samples[0]);
  }

  private Map<String, Double> evaluateBatches(Iterable<Batch> data) {
    return logs(evaluated(data, new long[1]));
  }

  /** Runs the batches in inference mode into fresh accumulators (training's stay as they are). */
  private Map<String, Metric> evaluated(Iterable<Batch> data, long[] samples) {
    prepareTraining();
    Mean total = new Mean("loss");
    List<Mean> perOutput = loss.freshTrackers();
    CompileMetrics ms = metrics.freshCopy();
    Backend b = Backends.current();
    for (Batch batch : data) {
      DataChecks.batch(model, batch, loss);
      try (Scope s = b.scope(false)) {
        List<Tensor> added = new ArrayList<>();
        List<Tensor> outs = Layer.collectLosses(added,
            () -> model.callAll(toTensors(batch.inputs()), false));
        // Keras 3's test_step adds model.losses (regularizers) to the reported loss too
        total.update(penalties.value(added) + loss.value(outs, batch, perOutput), batch.size());
        ms.update(batch, outs);
      }
      samples[0] += batch.size();
    }
    return tracked(total, perOutput, ms);
  }

  // ---- predict -------------------------------------------------------------------------------

  /** {@code model.predictAll}: every output's predictions. */
  public List<NDArray> predict(List<NDArray> x, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size: expected >= 1, found " + batchSize);
    }
    buildFor(x);
    DataChecks.shapes(model, x, null);
    int n = x.get(0).length();
    List<float[]> outData = null;
    List<int[]> outShapes = null;
    Backend b = Backends.current();
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      List<NDArray> bx = InMemoryBatches.rows(x, start, end);
      DataChecks.finiteInputs(model, bx, start);
      try (Scope s = b.scope(false)) {
        List<Tensor> outs = model.callAll(toTensors(bx), false);
        if (outData == null) {
          outData = new ArrayList<>();
          outShapes = new ArrayList<>();
          for (Tensor t : outs) {
            int[] shape = t.shape();
            shape[0] = n;
            outShapes.add(shape);
            outData.add(new float[Math.toIntExact((long) n * (t.shape().length == 1 ? 1
                : Arrays.stream(shape).skip(1).asLongStream().reduce(1, (a, c) -> a * c)))]);
          }
        }
        for (int i = 0; i < outs.size(); i++) {
          float[] part = outs.get(i).toFloatArray();
          int per = part.length / (end - start);
          System.arraycopy(part, 0, outData.get(i), start * per, part.length);
        }
      }
    }
    List<NDArray> result = new ArrayList<>();
    if (outData == null) {
      for (int[] s : model.outputShapes()) {
        int[] full = new int[s.length + 1];
        System.arraycopy(s, 0, full, 1, s.length);
        result.add(NDArray.of(new float[0], full));
      }
      return result;
    }
    for (int i = 0; i < outData.size(); i++) {
      result.add(NDArray.of(outData.get(i), outShapes.get(i)));
    }
    return result;
  }
}
