package io.sparkeras.driver.tuner;

import io.sparkeras.worker.tuner.TrialOutcome;
import io.sparkeras.worker.tuner.TrialRunner;
import io.sparkeras.worker.tuner.TrialSpec;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;

/** The task of one trial: its shard's rows in, the trial's outcome out. */
final class TrialFunction implements FlatMapFunction<Iterator<InternalRow>, TrialOutcome> {
  private static final long serialVersionUID = 1L;

  private final TrialSpec spec;
  private final Broadcast<TrialData.Validation> validation;

  TrialFunction(TrialSpec spec, Broadcast<TrialData.Validation> validation) {
    this.spec = spec;
    this.validation = validation;
  }

  @Override
  public Iterator<TrialOutcome> call(Iterator<InternalRow> rows) {
    TrialData.Validation v = validation == null ? null : validation.value();
    return List.of(TrialRunner.runOnRows(spec, rows, v == null ? null : v.xs(),
        v == null ? null : v.ys())).iterator();
  }
}
