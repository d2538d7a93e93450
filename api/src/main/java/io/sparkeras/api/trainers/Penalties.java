package io.sparkeras.api.trainers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Variable;
import io.sparkeras.core.constraints.FlatConstraint;
import io.sparkeras.core.constraints.RangeConstraint;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model's weight regularizers and constraints, laid out on its flat parameter vector: Keras's
 * {@code model.losses} (the trainable weights' regularizers, plus what layers add during the call)
 * summed into the loss, and the trainable weights' constraints applied after every optimizer
 * step, as Keras's {@code BaseOptimizer.apply} does.
 */
final class Penalties {
  static final Penalties NONE = new Penalties(List.of(), List.of());

  private final List<Variable> regularized;
  private final List<RangeConstraint> ranges;
  private final FlatConstraint[] constraints;

  private Penalties(List<Variable> regularized, List<RangeConstraint> ranges) {
    this.regularized = regularized;
    this.ranges = List.copyOf(ranges);
    this.constraints = new FlatConstraint[ranges.size()];
    for (int i = 0; i < constraints.length; i++) {
      constraints[i] = ranges.get(i).build();
    }
  }

  /** The penalties of {@code weights} (flat-vector order) that are in {@code trainable}. */
  static Penalties of(List<Variable> weights, Set<Variable> trainable) {
    List<Variable> regularized = new ArrayList<>();
    List<RangeConstraint> ranges = new ArrayList<>();
    int offset = 0;
    for (Variable v : weights) {
      if (trainable.contains(v)) {
        if (v.regularizer() != null) {
          regularized.add(v);
        }
        if (v.constraint() != null) {
          ranges.add(v.constraint().onRange(offset, v.shape()));
        }
      }
      offset += v.size();
    }
    return regularized.isEmpty() && ranges.isEmpty() ? NONE : new Penalties(regularized, ranges);
  }

  /** {@code loss} plus the losses layers added and every weight regularizer's penalty. */
  Tensor addTo(Tensor loss, List<Tensor> added) {
    Tensor total = loss;
    for (Tensor t : added) {
      total = ops().add(total, ops().sum(t));
    }
    for (Variable v : regularized) {
      total = ops().add(total, v.regularizer().call(v.value()));
    }
    return total;
  }

  /**
   * The penalties as a number, for the loss that evaluation reports (Keras 3's
   * {@code test_step} adds {@code model.losses} too): 0 when there are none.
   */
  double value(List<Tensor> added) {
    return added.isEmpty() && this == NONE ? 0 : addTo(ops().scalar(0), added).item();
  }

  /** Projects every constrained weight of the flat vector in place. */
  void constrain(FloatBuffer parameters) {
    for (int i = 0; i < constraints.length; i++) {
      constraints[i].apply(parameters, ranges.get(i).from());
    }
  }

  boolean hasConstraints() {
    return constraints.length > 0;
  }

  /** The constraints as ranges of the flat vector, for the parameter server. */
  List<RangeConstraint> ranges() {
    return ranges;
  }
}
