package io.sparkeras.api.saving.keras;

import io.sparkeras.api.layers.Variable;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.optimizers.Optimizer;
import io.sparkeras.core.optim.FlatOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras 3's weights file ({@code model.weights.h5} inside a {@code .keras}, or a
 * {@code .weights.h5} from {@code save_weights}), laid out as {@code saving_lib}'s
 * {@code H5IOStore} does: one {@code <group>/vars} per saveable ({@link WeightGroups}) with a
 * {@code name} attribute and datasets {@code 0..n-1}, and {@code optimizer/vars} for a compiled
 * model ({@link OptimizerVariables}).
 *
 * <p>Reading checks everything first — every group, count and shape — and only then assigns, so
 * a file that does not fit leaves the model as it was.
 *
 * <pre>{@code
 * KerasWeightsFile.write(model, Path.of("/tmp/m.weights.h5"), true);
 * KerasWeightsFile.read(model, Path.of("/tmp/m.weights.h5"), "m.weights.h5", true);
 * }</pre>
 */
public final class KerasWeightsFile {
  private static final Logger LOG = LoggerFactory.getLogger(KerasWeightsFile.class);
  /** Keras 2.13-2.15 wrote {@code .keras} files with this group instead of {@code layers}. */
  private static final String KERAS_2_13_LAYERS = "_layer_checkpoint_dependencies";

  private KerasWeightsFile() {}

  // ---- write ---------------------------------------------------------------------------------

  /**
   * Writes {@code model}'s weights (and, with {@code withOptimizer} on a compiled model, its
   * optimizer's variables) to a new local HDF5 file.
   */
  public static void write(Model model, Path file, boolean withOptimizer) throws IOException {
    model.parameterBlock();
    List<WeightGroups.Group> groups = WeightGroups.of(model);
    try (Hdf5File h5 = Hdf5File.create(file, file.getFileName().toString())) {
      Set<String> made = new HashSet<>();
      for (WeightGroups.Group g : groups) {
        makeGroups(h5, g.varsPath(), made);
        h5.writeString(g.varsPath(), "name", g.name());
        List<Variable> vs = g.variables();
        for (int i = 0; i < vs.size(); i++) {
          h5.writeFloats(g.varsPath() + "/" + i, vs.get(i).shape(), vs.get(i).numpy());
        }
        LayerState.writeVariables(h5, g);
      }
      if (withOptimizer && model.isCompiled()) {
        writeOptimizer(model, h5, made);
      }
    }
  }

  private static void makeGroups(Hdf5File h5, String path, Set<String> made) throws IOException {
    String[] parts = path.split("/");
    String p = "";
    for (String part : parts) {
      p = WeightGroups.join(p, part);
      if (made.add(p)) {
        h5.createGroup(p);
      }
    }
  }

  private static void writeOptimizer(Model model, Hdf5File h5, Set<String> made)
      throws IOException {
    Optimizer opt = model.getOptimizer();
    String vars = "optimizer/vars";
    makeGroups(h5, vars, made);
    h5.writeString(vars, "name", opt.name());
    FlatOptimizer flat = opt.flatOptimizer();
    h5.writeIntScalar(vars + "/0", Math.toIntExact(opt.iterations()));
    int next = 1;
    if (OptimizerVariables.fixedCount(opt) == 2) {
      h5.writeFloats(vars + "/1", new int[0], new float[] {(float) opt.getLearningRate()});
      next = 2;
    }
    if (flat == null || flat.iterations() == 0 && !anyState(flat)) {
      return; // never built or never stepped: Keras writes iterations and learning_rate only
    }
    List<Variable> trainable = model.trainableWeights();
    int[] ranges = flat.trainableRanges();
    for (int[] sv : OptimizerVariables.slotOrder(flat.rule().name(), flat.rule().stateSlots(),
        trainable.size())) {
      Variable v = trainable.get(sv[1]);
      int from = ranges[2 * sv[1]];
      float[] values = new float[v.size()];
      flat.stateView(sv[0]).get(from, values, 0, values.length);
      h5.writeFloats(vars + "/" + next++, v.shape(), values);
    }
  }

  private static boolean anyState(FlatOptimizer flat) {
    return flat.rule().stateSlots() > 0;
  }

  // ---- read ----------------------------------------------------------------------------------

  /**
   * Reads weights into {@code model} (built here if it is not) and, with {@code withOptimizer}
   * on a compiled model, the optimizer's state where the file has a full set of it. Nothing is
   * assigned unless every group, count and shape fits.
   *
   * @param source names the file in error messages
   */
  public static void read(Model model, Path file, String source, boolean withOptimizer)
      throws IOException {
    try (Hdf5File h5 = Hdf5File.open(file, source)) {
      read(model, h5, source, withOptimizer);
    }
  }

  static void read(Model model, Hdf5File h5, String source, boolean withOptimizer)
      throws IOException {
    model.parameterBlock();
    String layersRoot = !h5.exists("layers") && h5.exists(KERAS_2_13_LAYERS)
        ? KERAS_2_13_LAYERS : "layers";
    List<Variable> targets = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    List<LayerState.Pending> states = new ArrayList<>();
    for (WeightGroups.Group g : WeightGroups.of(model)) {
      String vars = g.varsPath();
      if (vars.startsWith("layers/") && !layersRoot.equals("layers")) {
        vars = layersRoot + vars.substring("layers".length());
      }
      LayerState.Pending state = LayerState.readVariables(h5, g, vars, source);
      if (state != null) {
        states.add(state);
        continue;
      }
      List<Variable> vs = g.variables();
      List<String> found = h5.isGroup(vars) ? h5.children(vars) : List.of();
      if (found.size() != vs.size()) {
        throw new IOException(source + ": layer '" + g.owner().getName() + "' ("
            + WeightGroups.kerasClassName(g.owner()) + ") expects " + vs.size() + " variables "
            + names(vs) + " in group '" + vars + "', the file has " + found.size()
            + (found.isEmpty() ? "" : " " + found));
      }
      for (int i = 0; i < vs.size(); i++) {
        Variable v = vs.get(i);
        String ds = vars + "/" + i;
        if (!h5.exists(ds)) {
          throw new IOException(source + ": layer '" + g.owner().getName() + "': no dataset '"
              + ds + "' for variable '" + v.name() + "'");
        }
        Hdf5File.Array a = h5.readFloats(ds);
        if (!Arrays.equals(a.shape(), v.shape())) {
          throw new IOException(source + ": layer '" + g.owner().getName() + "', variable '"
              + v.name() + "' (" + ds + "): expected shape " + Arrays.toString(v.shape())
              + ", found " + Arrays.toString(a.shape()));
        }
        targets.add(v);
        values.add(a.values());
      }
    }
    OptimizerState state = withOptimizer && model.isCompiled()
        ? readOptimizer(model, h5, source) : null;
    LayerState.applyAll(states);
    for (int i = 0; i < targets.size(); i++) {
      targets.get(i).assign(values.get(i));
    }
    if (state != null) {
      state.apply(model.getOptimizer());
    }
  }

  private static String names(List<Variable> vs) {
    List<String> n = new ArrayList<>();
    for (Variable v : vs) {
      n.add(v.name());
    }
    return n.toString();
  }

  /** Optimizer state read from a file, applied after the weights. */
  private record OptimizerState(long iterations, Float learningRate, float[][] slots) {
    void apply(Optimizer opt) {
      // the file holds learning_rate as float32: keep the config's exact value if it rounds to it
      if (learningRate != null && (float) opt.getLearningRate() != learningRate) {
        opt.setLearningRate(learningRate);
      }
      if (slots != null) {
        opt.flatOptimizer().loadState(new FlatOptimizer.State(iterations, slots));
      }
    }
  }

  private static OptimizerState readOptimizer(Model model, Hdf5File h5, String source)
      throws IOException {
    String vars = "optimizer/vars";
    if (!h5.isGroup(vars)) {
      return null;
    }
    Optimizer opt = model.getOptimizer();
    FlatOptimizer flat = opt.flatOptimizer();
    List<Variable> trainable = model.trainableWeights();
    List<int[]> order = OptimizerVariables.slotOrder(flat.rule().name(),
        flat.rule().stateSlots(), trainable.size());
    int fixed = OptimizerVariables.fixedCount(opt);
    int count = h5.children(vars).size();
    Float lr = fixed == 2 && h5.exists(vars + "/1") ? h5.readFloats(vars + "/1").values()[0]
        : null;
    if (count == fixed) {
      return new OptimizerState(0, lr, null); // saved before it was built: nothing to continue
    }
    if (count != fixed + order.size()) {
      LOG.warn("{}: skipping optimizer state: optimizer '{}' has {} variables here, the file "
          + "has {} (as Keras does, the weights are loaded and the optimizer starts fresh)",
          source, opt.name(), fixed + order.size(), count);
      return null;
    }
    long iterations = h5.readLong(vars + "/0");
    FlatOptimizer.State current = flat.saveState();
    float[][] slots = new float[current.slotCount()][];
    for (int s = 0; s < slots.length; s++) {
      slots[s] = current.slot(s).clone();
    }
    int[] ranges = flat.trainableRanges();
    for (int k = 0; k < order.size(); k++) {
      int[] sv = order.get(k);
      Variable v = trainable.get(sv[1]);
      Hdf5File.Array a = h5.readFloats(vars + "/" + (fixed + k));
      if (!Arrays.equals(a.shape(), v.shape())) {
        throw new IOException(source + ": optimizer '" + opt.name() + "' variable "
            + (fixed + k) + " (state of '" + v.path() + "'): expected shape "
            + Arrays.toString(v.shape()) + ", found " + Arrays.toString(a.shape()));
      }
      System.arraycopy(a.values(), 0, slots[sv[0]], ranges[2 * sv[1]], v.size());
    }
    return new OptimizerState(iterations, lr, slots);
  }
}
