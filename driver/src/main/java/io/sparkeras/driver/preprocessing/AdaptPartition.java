package io.sparkeras.driver.preprocessing;

import io.sparkeras.api.layers.preprocessing.AdaptPlan;
import io.sparkeras.api.layers.preprocessing.AdaptState;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.layers.preprocessing.HostRunner;
import io.sparkeras.api.layers.preprocessing.PreprocessingLayer;
import io.sparkeras.worker.BadRowException;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.RawColumnReader;
import io.sparkeras.worker.RawColumnSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One adapt pass over a partition: every row's raw columns are read into the plan's inputs, the
 * steps the targets need are run, and each target layer's state is updated; the partition's
 * states come back as their own bytes ({@link AdaptState#write}). {@link Merge} merges two
 * partitions' bytes (Spark's treeReduce). Nothing but the recipe, the column specs and the
 * earlier passes' states travels to the executors.
 */
final class AdaptPartition implements FlatMapFunction<Iterator<InternalRow>, byte[]> {
  private static final long serialVersionUID = 1L;
  private final PlanRecipe recipe;
  private final RawColumnSpec[] columns;
  private final int[] targets;
  private final boolean[] run;
  private final byte[][] earlier;
  private final BadRowPolicy policy;

  /**
   * @param earlier per step, the merged state bytes of a step adapted in an earlier pass, or
   *     null
   */
  AdaptPartition(PlanRecipe recipe, RawColumnSpec[] columns, int[] targets, boolean[] run,
      byte[][] earlier, BadRowPolicy policy) {
    this.recipe = recipe;
    this.columns = columns;
    this.targets = targets;
    this.run = run;
    this.earlier = earlier;
    this.policy = policy;
  }

  /** A fresh plan whose earlier-adapted layers are finished from their states. */
  static HostPlan restore(PlanRecipe recipe, byte[][] earlier) {
    HostPlan plan = recipe.plan();
    for (int i = 0; i < earlier.length; i++) {
      if (earlier[i] != null) {
        PreprocessingLayer l = plan.preprocessingStep(i);
        l.finishAdapt(read(l, earlier[i]));
      }
    }
    return plan;
  }

  static AdaptState read(PreprocessingLayer layer, byte[] bytes) {
    try {
      return layer.readAdaptState(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("adapt state of layer '" + layer.getName() + "': "
          + e.getMessage(), e);
    }
  }

  /** One state's own bytes (what {@link #read(PreprocessingLayer, byte[])} reads). */
  static byte[] bytesOf(AdaptState state) {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    try {
      state.write(new DataOutputStream(one));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return one.toByteArray();
  }

  static byte[] write(AdaptState[] states) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeInt(states.length);
      for (AdaptState s : states) {
        byte[] one = bytesOf(s);
        out.writeInt(one.length);
        out.write(one);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static AdaptState[] read(HostPlan plan, int[] targets, byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int n = in.readInt();
      if (n != targets.length) {
        throw new IOException("expected " + targets.length + " states, found " + n);
      }
      AdaptState[] states = new AdaptState[n];
      for (int k = 0; k < n; k++) {
        byte[] one = new byte[in.readInt()];
        in.readFully(one);
        states[k] = read(plan.preprocessingStep(targets[k]), one);
      }
      return states;
    } catch (IOException e) {
      throw new UncheckedIOException("adapt states: " + e.getMessage(), e);
    }
  }

  @Override
  public Iterator<byte[]> call(Iterator<InternalRow> rows) {
    HostPlan plan = restore(recipe, earlier);
    HostRunner runner = plan.newRunner(false, 0);
    runner.only(run);
    RawColumnReader[] readers = new RawColumnReader[columns.length];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = new RawColumnReader(columns[i]);
    }
    AdaptState[] states = AdaptPlan.newStates(plan, targets);
    TaskContext tc = TaskContext.get();
    int partition = tc == null ? -1 : tc.partitionId();
    long position = 0;
    rows:
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      long at = position++;
      for (int i = 0; i < readers.length; i++) {
        String problem = readers[i].read(row, runner.input(i));
        if (problem != null) {
          if (policy == BadRowPolicy.FAIL) {
            throw new BadRowException(partition, at, problem);
          }
          continue rows;
        }
      }
      AdaptPlan.update(runner, targets, states);
    }
    return List.of(write(states)).iterator();
  }

  /** Merges two partitions' state bytes. */
  static final class Merge implements Function2<byte[], byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final PlanRecipe recipe;
    private final int[] targets;
    private final byte[][] earlier;
    private transient HostPlan plan;

    Merge(PlanRecipe recipe, int[] targets, byte[][] earlier) {
      this.recipe = recipe;
      this.targets = targets;
      this.earlier = earlier;
    }

    @Override
    public byte[] call(byte[] a, byte[] b) {
      if (plan == null) {
        plan = restore(recipe, earlier);
      }
      AdaptState[] x = read(plan, targets, a);
      AdaptState[] y = read(plan, targets, b);
      for (int k = 0; k < x.length; k++) {
        x[k].merge(y[k]);
      }
      return write(x);
    }
  }
}
