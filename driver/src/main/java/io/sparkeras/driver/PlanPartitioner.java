package io.sparkeras.driver;

import io.sparkeras.worker.RowPlan;
import org.apache.spark.Partitioner;

/**
 * Deals indexed rows to the workers as a {@link RowPlan} says: key i (a row's index) goes to
 * partition {@code plan.workerOf(i)}, one partition per worker.
 */
final class PlanPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final RowPlan plan;

  PlanPartitioner(RowPlan plan) {
    this.plan = plan;
  }

  @Override
  public int numPartitions() {
    return plan.workers();
  }

  @Override
  public int getPartition(Object key) {
    return plan.workerOf((Long) key);
  }

  @Override
  public boolean equals(Object o) {
    return o == this;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
