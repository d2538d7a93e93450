package io.sparkeras.worker;

import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.layers.preprocessing.HostRunner;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The rows of raw columns encoded by a model's preprocessing layers on the executor: each raw
 * input is read into the runner ({@link RawColumnReader}), the host layers run, and each value
 * the network takes is written into its batch buffer. Nothing is allocated per row.
 *
 * <pre>{@code
 * HostEncoder enc = new HostEncoder(plan, specs, true, partition);
 * RowBatcher batches = new RowBatcher(rows, enc, label, new int[0], 128, BadRowPolicy.FAIL);
 * }</pre>
 */
public final class HostEncoder implements RowEncoder {
  private final HostPlan plan;
  private final HostRunner runner;
  private final RawColumnReader[] readers;
  private final int[] sizes;
  private final List<int[]> shapes;

  /**
   * @param plan the model's host plan (its boundary is the network's input list)
   * @param inputs one column per raw model input, in the plan's input order
   * @param training whether the augmentation layers act (a training epoch)
   * @param stream the random stream of this task (e.g. partition and epoch)
   */
  public HostEncoder(HostPlan plan, RawColumnSpec[] inputs, boolean training, long stream) {
    plan.requireBatchable();
    if (inputs.length != plan.inputs().size()) {
      throw new IllegalArgumentException("the model takes " + plan.inputs().size() + " raw "
          + "inputs " + plan.inputNames() + ", found " + inputs.length + " columns");
    }
    this.plan = plan;
    this.runner = plan.newRunner(training, stream);
    this.readers = new RawColumnReader[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      readers[i] = new RawColumnReader(inputs[i]);
    }
    this.shapes = plan.boundaryShapes();
    this.sizes = new int[shapes.size()];
    for (int b = 0; b < sizes.length; b++) {
      sizes[b] = plan.boundarySize(b);
    }
  }

  @Override
  public List<int[]> shapes() {
    return shapes;
  }

  @Override
  public String encode(InternalRow row, float[][] x, int n) {
    for (int i = 0; i < readers.length; i++) {
      String problem = readers[i].read(row, runner.input(i));
      if (problem != null) {
        return problem;
      }
    }
    try {
      runner.run();
      for (int b = 0; b < sizes.length; b++) {
        runner.write(b, x[b], n * sizes[b]);
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }

  public HostPlan plan() {
    return plan;
  }
}
