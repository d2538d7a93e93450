package io.sparkeras.driver;

import io.sparkeras.worker.EpochResult;
import io.sparkeras.worker.EpochTask;
import io.sparkeras.worker.TrainSpec;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task of an epoch: holds only what is broadcast or small (the spec, the
 * model file's broadcast, the epoch and its base step), never driver objects. The executor's
 * address, where the parameter server answers, comes from {@code getTaskInfos()}.
 */
final class TrainEpochFunction extends AbstractFunction1<Iterator<InternalRow>, Iterator<EpochResult>>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private final TrainSpec spec;
  private final Broadcast<byte[]> model;
  private final int epoch;
  private final long baseStep;
  private final float[] localStart;

  /** {@code localStart}: the non-trainable weights the workers start the epoch with, or null. */
  TrainEpochFunction(TrainSpec spec, Broadcast<byte[]> model, int epoch, long baseStep,
      float[] localStart) {
    this.spec = spec;
    this.model = model;
    this.epoch = epoch;
    this.baseStep = baseStep;
    this.localStart = localStart;
  }

  @Override
  public Iterator<EpochResult> apply(Iterator<InternalRow> rows) {
    // not BarrierTaskContext.get(): that initialises Spark's BarrierTaskContext companion, whose
    // non-daemon Timer thread then keeps a local-mode driver JVM from exiting after main returns;
    // in a barrier task TaskContext.get() is the BarrierTaskContext
    BarrierTaskContext ctx = (BarrierTaskContext) TaskContext.get();
    int partition = ctx.partitionId();
    String address = ctx.getTaskInfos()[partition].address();
    String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
    Broadcast<byte[]> m = model;
    EpochResult r = EpochTask.run(spec, JavaConverters.asJavaIterator(rows), partition, host, epoch,
        baseStep, localStart, m::value);
    return JavaConverters.asScalaIterator(List.of(r).iterator());
  }
}
