package io.sparkeras.api.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A model's inference call as a backend exports it ({@link Backend#exportSavedModel}): named
 * inputs and outputs with their sample shapes (batch excluded) and the call itself, which takes
 * one tensor per input (batch first) and returns one per output. Made by
 * {@code Model.exportSavedModel}; a backend calls it inside its own tracing.
 *
 * <pre>{@code
 * InferenceFunction f = new InferenceFunction(List.of("pixels"), List.of(new int[] {784}),
 *     List.of("probabilities"), List.of(new int[] {10}), in -> model.callAll(in, false));
 * Backends.current().exportSavedModel(f, Path.of("/tmp/fmnist/1"));
 * }</pre>
 */
public final class InferenceFunction {
  private final List<String> inputNames;
  private final List<int[]> inputShapes;
  private final List<String> outputNames;
  private final List<int[]> outputShapes;
  private final Function<List<Tensor>, List<Tensor>> call;

  /** Names and sample shapes must pair up, and names be distinct and non-blank. */
  public InferenceFunction(List<String> inputNames, List<int[]> inputShapes,
      List<String> outputNames, List<int[]> outputShapes,
      Function<List<Tensor>, List<Tensor>> call) {
    this.inputNames = checkedNames("inputNames", inputNames, inputShapes);
    this.inputShapes = copies(inputShapes);
    this.outputNames = checkedNames("outputNames", outputNames, outputShapes);
    this.outputShapes = copies(outputShapes);
    this.call = Objects.requireNonNull(call, "call");
  }

  private static List<String> checkedNames(String field, List<String> names, List<int[]> shapes) {
    if (names == null || shapes == null || names.isEmpty() || names.size() != shapes.size()) {
      throw new IllegalArgumentException(field + ": expected one name per shape (at least one), "
          + "found " + names + " for " + (shapes == null ? null : shapes.size()) + " shapes");
    }
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isBlank() || names.indexOf(n) != i) {
        throw new IllegalArgumentException(field + ": expected distinct, non-blank names, found "
            + names);
      }
    }
    return List.copyOf(names);
  }

  private static List<int[]> copies(List<int[]> shapes) {
    List<int[]> out = new ArrayList<>();
    for (int[] s : shapes) {
      out.add(s.clone());
    }
    return out;
  }

  public List<String> inputNames() {
    return inputNames;
  }

  /** Sample shape of input {@code i} (batch excluded). */
  public int[] inputShape(int i) {
    return inputShapes.get(i).clone();
  }

  public List<String> outputNames() {
    return outputNames;
  }

  /** Sample shape of output {@code i} (batch excluded). */
  public int[] outputShape(int i) {
    return outputShapes.get(i).clone();
  }

  /** Runs the model (inference mode) on one tensor per input; one tensor per output. */
  public List<Tensor> call(List<Tensor> inputs) {
    return call.apply(inputs);
  }
}
