package io.sparkeras.driver;

import org.apache.spark.Partitioner;

/**
 * Deals row i of the DataFrame to worker {@code (i / b) % N} (b = per-worker batch), so that
 * global step t's batch is rows {@code [tB, (t+1)B)}: worker p takes rows
 * {@code [tB + pb, tB + (p+1)b)}. With a sort on i inside each partition this reproduces a
 * single process's {@code shuffle(false)} batches.
 */
final class RowIndexPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int workers;
  private final int perWorkerBatch;

  RowIndexPartitioner(int workers, int perWorkerBatch) {
    this.workers = workers;
    this.perWorkerBatch = perWorkerBatch;
  }

  @Override
  public int numPartitions() {
    return workers;
  }

  @Override
  public int getPartition(Object key) {
    long i = (Long) key;
    return (int) ((i / perWorkerBatch) % workers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowIndexPartitioner && ((RowIndexPartitioner) o).workers == workers
        && ((RowIndexPartitioner) o).perWorkerBatch == perWorkerBatch;
  }

  @Override
  public int hashCode() {
    return workers * 31 + perWorkerBatch;
  }
}
