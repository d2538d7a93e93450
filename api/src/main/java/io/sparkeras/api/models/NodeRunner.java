package io.sparkeras.api.models;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.CallArgs;
import io.sparkeras.api.layers.KerasTensor;
import io.sparkeras.api.layers.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Runs one call of a functional graph as Keras's {@code Functional} does: the node's inputs with
 * the masks they carry (Keras's {@code _keras_mask}) and its arguments, symbolic tensors replaced
 * by their values (a {@code mask} argument is an explicit mask; a recorded {@code training} is
 * ignored: Keras's functional call gives every layer the model's training flag over it); then the outputs' masks, which the layer set itself or {@code computeMask} gives from
 * the masks its inputs carry.
 */
final class NodeRunner {
  private NodeRunner() {}

  /** Runs {@code n}, reading and adding to the values and masks of the graph's tensors. */
  static void run(Node n, Map<KerasTensor, Tensor> values, Map<KerasTensor, Tensor> masks,
      boolean training) {
    List<Tensor> args = new ArrayList<>(n.inputs().size());
    List<Tensor> inMasks = new ArrayList<>(n.inputs().size());
    boolean anyMask = false;
    for (KerasTensor in : n.inputs()) {
      args.add(values.get(in));
      Tensor m = masks.get(in);
      inMasks.add(m);
      anyMask |= m != null;
    }
    CallArgs call = carried(CallArgs.of(args).training(training), anyMask, inMasks);
    for (Map.Entry<String, Object> e : n.args().entrySet()) {
      Object value = Node.mapArg(e.getValue(), KerasTensor.class, values::get);
      if (e.getKey().equals("training")) {
        // Keras records training=False on Dropout's and the like's nodes; the model's flag wins
        continue;
      } else if (e.getKey().equals("mask")) {
        call.masks(explicitMasks(value, args.size()));
      } else {
        call.arg(e.getKey(), value);
      }
    }
    List<Tensor> outs = n.layer().applyAll(call);
    List<Tensor> outMasks = call.outputMasks();
    if (outMasks == null && n.layer().supportsMasking()) {
      // Keras's compute_mask(inputs, previous_mask): the masks the inputs carry, never a mask
      // passed explicitly as an argument
      CallArgs previous = call.masksExplicit()
          ? carried(CallArgs.of(args).training(call.training()), anyMask, inMasks) : call;
      outMasks = n.layer().computeMask(previous, outs);
    }
    for (int i = 0; i < n.outputs().size(); i++) {
      values.put(n.outputs().get(i), outs.get(i));
      if (outMasks != null && i < outMasks.size() && outMasks.get(i) != null) {
        masks.put(n.outputs().get(i), outMasks.get(i));
      }
    }
  }

  private static CallArgs carried(CallArgs call, boolean anyMask, List<Tensor> masks) {
    return anyMask ? call.propagatedMasks(masks) : call;
  }

  /** A {@code mask=} call argument (one tensor, or a list with one per input) as a list. */
  private static List<Tensor> explicitMasks(Object mask, int inputs) {
    if (mask instanceof List) {
      List<Tensor> l = new ArrayList<>();
      for (Object o : (List<?>) mask) {
        l.add((Tensor) o);
      }
      return l;
    }
    List<Tensor> l = new ArrayList<>(Collections.nCopies(inputs, (Tensor) null));
    l.set(0, (Tensor) mask);
    return l;
  }
}
