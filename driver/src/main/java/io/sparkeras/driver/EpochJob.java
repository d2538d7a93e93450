package io.sparkeras.driver;

import io.sparkeras.worker.BadRowException;
import io.sparkeras.worker.EpochResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Function1;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One epoch's Spark job: a barrier stage of the workers' tasks, run on its own thread in its own
 * job group while the calling thread reports progress. A task that fails on a bad row fails on
 * every attempt, so the job is cancelled at the first one (the other tasks are killed and stop
 * waiting at once) and its message is kept; any other task failure is retried by Spark.
 *
 * <pre>{@code
 * List<EpochResult> results = EpochJob.run(sc, rows, taskBody, "sparkeras fit epoch 1/5",
 *     progress::update, parameterServer::failure);
 * }</pre>
 */
final class EpochJob {
  private static final ClassTag<EpochResult> RESULT_TAG =
      ClassTag$.MODULE$.apply(EpochResult.class);
  private static final long TICK_MS = 100;

  private EpochJob() {}

  /**
   * Runs {@code body} over every partition of {@code data} as one barrier stage and returns the
   * tasks' results; calls {@code tick} about every 100 ms while it runs.
   *
   * @param failure the parameter server's failure message, if any, for the error of a failed job
   * @throws IllegalArgumentException a task met a bad row (message: its position)
   * @throws IllegalStateException the job failed otherwise
   */
  static List<EpochResult> run(SparkContext sc, RDD<InternalRow> data,
      Function1<Iterator<InternalRow>, Iterator<EpochResult>> body, String description,
      Runnable tick, Supplier<String> failure) {
    AtomicReference<Object> result = new AtomicReference<>();
    String group = "sparkeras-fit-" + Long.toHexString(System.nanoTime());
    AtomicReference<String> badRow = new AtomicReference<>();
    SparkListener listener = new BadRowListener(sc, group, badRow);
    sc.addSparkListener(listener);
    Thread job = new Thread(() -> {
      sc.setJobGroup(group, description, false);
      try {
        // The barrier stage feeds a one-partition shuffle so that it is a ShuffleMapStage: Spark
        // retries a failed barrier ShuffleMapStage as a whole (a barrier ResultStage it aborts).
        RDD<EpochResult> out = data.barrier().mapPartitions(body, false, RESULT_TAG);
        result.set(new JavaRDD<>(out, RESULT_TAG).repartition(1).collect());
      } catch (Throwable t) {
        result.set(t);
      }
    }, "sparkeras-epoch");
    job.setDaemon(true);
    job.start();
    try {
      while (job.isAlive()) {
        job.join(TICK_MS);
        tick.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sc.cancelJobGroup(group);
      throw new IllegalStateException("fit interrupted", e);
    } finally {
      sc.removeSparkListener(listener);
    }
    Object r = result.get();
    if (badRow.get() != null) {
      throw new IllegalArgumentException(description + ": bad input " + badRow.get()
          + " (badRows(BadRowPolicy.SKIP) skips and counts such rows)",
          r instanceof Throwable ? (Throwable) r : null);
    }
    if (r instanceof Throwable) {
      String f = failure.get();
      Throwable t = (Throwable) r;
      throw new IllegalStateException(description + " failed: " + t.getMessage()
          + (f == null ? "" : " (parameter server: " + f + ")"), t);
    }
    @SuppressWarnings("unchecked")
    List<EpochResult> list = (List<EpochResult>) r;
    return list;
  }

  /** Cancels the job group when a task fails on a bad row, keeping the row's message. */
  static final class BadRowListener extends SparkListener {
    private final SparkContext sc;
    private final String group;
    private final AtomicReference<String> message;

    BadRowListener(SparkContext sc, String group, AtomicReference<String> message) {
      this.sc = sc;
      this.group = group;
      this.message = message;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExceptionFailure) {
        ExceptionFailure f = (ExceptionFailure) end.reason();
        if (f.className().equals(BadRowException.class.getName())
            && message.compareAndSet(null, f.description())) {
          sc.cancelJobGroup(group);
        }
      }
    }
  }
}
