package io.sparkeras.driver;

import io.sparkeras.worker.EpochResult;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Function1;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * Wraps an epoch's task body ({@link SparkTrainer#wrapTasks}): on the first attempt of the stage
 * and the task, partition {@code partition} fails when it reads its row {@code row} (with B/N
 * rows per step, row {@code s * B/N} is the first of step s: steps before it were pushed, step s
 * was not). Retries run the body unchanged.
 */
final class FailFirstAttempt extends AbstractFunction1<Iterator<InternalRow>, Iterator<EpochResult>>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Function1<Iterator<InternalRow>, Iterator<EpochResult>> body;
  private final int partition;
  private final long row;

  FailFirstAttempt(Function1<Iterator<InternalRow>, Iterator<EpochResult>> body, int partition,
      long row) {
    this.body = body;
    this.partition = partition;
    this.row = row;
  }

  @Override
  public Iterator<EpochResult> apply(Iterator<InternalRow> rows) {
    TaskContext tc = TaskContext.get();
    boolean first = tc.stageAttemptNumber() == 0 && tc.attemptNumber() == 0;
    return body.apply(first && tc.partitionId() == partition ? failing(rows) : rows);
  }

  private Iterator<InternalRow> failing(Iterator<InternalRow> rows) {
    return new AbstractIterator<InternalRow>() {
      private long read;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        if (read++ == row) {
          throw new IllegalStateException("test: injected failure at row " + row
              + " of partition " + partition + " (first attempt)");
        }
        return rows.next();
      }
    };
  }
}
