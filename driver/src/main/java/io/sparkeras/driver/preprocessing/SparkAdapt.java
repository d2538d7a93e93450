package io.sparkeras.driver.preprocessing;

import io.sparkeras.api.layers.preprocessing.AdaptPlan;
import io.sparkeras.api.layers.preprocessing.AdaptState;
import io.sparkeras.api.layers.preprocessing.HostPlan;
import io.sparkeras.api.models.Model;
import io.sparkeras.api.utils.FeatureSpace;
import io.sparkeras.worker.BadRowPolicy;
import io.sparkeras.worker.RawColumnSpec;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * {@code adapt} over a whole Spark DataFrame, as Spark aggregations: one job per pass, in which
 * every partition feeds every layer being adapted from its own rows (moments, token and document
 * counts, quantile summaries) and the partitions' states are merged with a tree reduce; the
 * driver finishes the layers. A FeatureSpace, or any model whose adaptable layers read raw
 * inputs, adapts in one pass over the data. The result equals adapting the same rows in memory:
 * exactly for counts and moments, within Keras's quantile error for Discretization. Raw columns
 * are read as {@link RawColumnSpec} says (any Spark type the inputs can take).
 *
 * <pre>{@code
 * SparkAdapt.adapt(featureSpace, train);                        // columns named like features
 * SparkAdapt.of(train).nulls(RawColumnSpec.NullPolicy.MISSING).adapt(model, List.of("a", "b"));
 * }</pre>
 */
public final class SparkAdapt {
  private final Dataset<Row> data;
  private RawColumnSpec.NullPolicy nulls = RawColumnSpec.NullPolicy.FAIL;
  private BadRowPolicy badRows = BadRowPolicy.FAIL;
  private int depth = 2;
  private int passes;

  private SparkAdapt(Dataset<Row> data) {
    this.data = data;
  }

  /** Adapt settings over {@code data}. */
  public static SparkAdapt of(Dataset<Row> data) {
    return new SparkAdapt(data);
  }

  /** Adapts a FeatureSpace on {@code data}'s columns named like its features. */
  public static FeatureSpace adapt(FeatureSpace fs, Dataset<Row> data) {
    return of(data).adapt(fs);
  }

  /** What a null (or a NaN float) is: a bad row (default) or a missing value. */
  public SparkAdapt nulls(RawColumnSpec.NullPolicy policy) {
    this.nulls = policy;
    return this;
  }

  /** Bad rows fail the job (default) or are skipped. */
  public SparkAdapt badRows(BadRowPolicy policy) {
    this.badRows = policy;
    return this;
  }

  /** Depth of the tree reduce that merges partition states (default 2). */
  public SparkAdapt treeDepth(int d) {
    if (d < 1) {
      throw new IllegalArgumentException("treeDepth: expected >= 1, found " + d);
    }
    this.depth = d;
    return this;
  }

  /** Passes (Spark jobs over the data) the last adapt ran. */
  public int passes() {
    return passes;
  }

  /** Adapts a FeatureSpace on the columns named like its features. */
  public FeatureSpace adapt(FeatureSpace fs) {
    HostPlan plan = fs.plan();
    Source source = new Source(PlanRecipe.of(fs), plan, fs.columns());
    fs.adapt(source);
    passes = source.passes;
    return fs;
  }

  /**
   * Adapts every adaptable preprocessing layer of {@code model}; raw input {@code i} reads
   * column {@code columns.get(i)} (null: the input layers' names).
   */
  public Model adapt(Model model, List<String> columns) {
    HostPlan plan = HostPlan.of(model.inputs(), model.outputs());
    List<String> cols = columns == null ? plan.inputNames() : columns;
    if (cols.size() != plan.inputs().size()) {
      throw new IllegalArgumentException("adapt: model '" + model.getName() + "' has "
          + plan.inputs().size() + " inputs " + plan.inputNames() + ", found " + cols.size()
          + " columns " + cols);
    }
    Source source = new Source(PlanRecipe.of(model), plan, cols);
    AdaptPlan.of(plan).run(source);
    passes = source.passes;
    return model;
  }

  /** One Spark job per pass; remembers each pass's merged states for the next. */
  private final class Source implements AdaptPlan.Source {
    private final PlanRecipe recipe;
    private final HostPlan plan;
    private final RawColumnSpec[] columns;
    private final byte[][] earlier;
    private int passes;

    Source(PlanRecipe recipe, HostPlan plan, List<String> names) {
      this.recipe = recipe;
      this.plan = plan;
      StructType schema = data.schema();
      columns = new RawColumnSpec[names.size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = RawColumnSpec.resolve(schema, names.get(i), "input '"
            + plan.inputNames().get(i) + "'", plan.inputKind(i), plan.inputShape(i), nulls);
      }
      earlier = new byte[plan.stepCount()][];
    }

    @Override
    public List<AdaptState> pass(int[] targets, boolean[] run) {
      JavaRDD<InternalRow> rows = data.queryExecution().toRdd().toJavaRDD();
      if (rows.getNumPartitions() == 0) {
        throw new IllegalArgumentException("adapt: the DataFrame has no partitions (no rows)");
      }
      byte[][] before = earlier.clone();
      byte[] merged = rows.mapPartitions(new AdaptPartition(recipe, columns, targets, run,
          before, badRows)).treeReduce(new AdaptPartition.Merge(recipe, targets, before), depth);
      AdaptState[] states = AdaptPartition.read(plan, targets, merged);
      for (int k = 0; k < targets.length; k++) {
        earlier[targets[k]] = AdaptPartition.bytesOf(states[k]);
      }
      passes++;
      return List.of(states);
    }
  }
}
