package io.sparkeras.worker;

import io.sparkeras.ps.SyncMode;
import java.io.Serializable;

/**
 * Everything a training task needs besides its rows and the model bytes: the parameter server's
 * address and secret, the synchronisation mode, the batching plan and the columns. Built by the
 * driver with fluent setters, shipped in the task closure (small: no model, no data).
 */
public final class TrainSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  String psEndpoint;
  int streamIdBase = 1001;
  long jobId;
  byte[] secret;
  int mtuLength;
  int termLength;
  int socketBufferLength;
  int receiverWindowLength;
  long clientTimeoutMs = 120_000;
  SyncMode mode = SyncMode.SYNC;
  int workers;
  int perWorkerBatch;
  long[] partitionRows;
  int steps;
  BatchLayout layout;
  BadRowPolicy badRows = BadRowPolicy.FAIL;
  String modelKey;
  String aeronDirectory;
  boolean ipc;
  boolean overlapPush = true;
  int[] localRanges = new int[0];
  long seed;

  /**
   * The server's {@code host:port}, or its nodes' {@code host:port,host:port,...} in node order
   * (shard s at the node that runs it).
   */
  public TrainSpec psEndpoint(String hostPorts) { psEndpoint = hostPorts; return this; }
  public TrainSpec streamIdBase(int v) { streamIdBase = v; return this; }
  public TrainSpec jobId(long v) { jobId = v; return this; }
  public TrainSpec secret(byte[] v) { secret = v.clone(); return this; }
  /** Aeron channel settings; must match the server's. */
  public TrainSpec channel(int mtu, int term, int socketBuffer, int window) {
    mtuLength = mtu;
    termLength = term;
    socketBufferLength = socketBuffer;
    receiverWindowLength = window;
    return this;
  }
  public TrainSpec clientTimeoutMs(long v) { clientTimeoutMs = v; return this; }
  public TrainSpec mode(SyncMode m) { mode = m; return this; }
  /** N workers, each taking {@code perWorkerBatch} rows per step (global batch = N × that). */
  public TrainSpec batching(int workers, int perWorkerBatch, long[] partitionRows) {
    this.workers = workers;
    this.perWorkerBatch = perWorkerBatch;
    this.partitionRows = partitionRows.clone();
    long max = 0;
    for (long n : partitionRows) {
      max = Math.max(max, n);
    }
    this.steps = (int) ((max + perWorkerBatch - 1) / perWorkerBatch);
    return this;
  }
  /**
   * The model's inputs (numeric columns, or raw columns for its preprocessing layers), targets
   * and sample weights in the rows.
   */
  public TrainSpec layout(BatchLayout l) { layout = l; return this; }
  public TrainSpec badRows(BadRowPolicy p) { badRows = p; return this; }
  public TrainSpec modelKey(String k) { modelKey = k; return this; }
  /**
   * The server's media driver directory: a task on the server's host (local mode, or an executor
   * on the driver's machine) uses that driver instead of starting the executor's own.
   */
  public TrainSpec aeronDirectory(String dir) { aeronDirectory = dir; return this; }
  /**
   * Clients that find the server's media driver directory ({@link #aeronDirectory}) on their host
   * talk to the server over shared memory instead of UDP.
   */
  public TrainSpec ipc(boolean v) { ipc = v; return this; }
  /** Sync and async: push gradients while backward runs, where the backend reports them. */
  public TrainSpec overlapPush(boolean v) { overlapPush = v; return this; }
  /**
   * {@code [from, to)} pairs of the flat vector that each worker keeps for itself in sync and
   * async mode instead of taking the server's values: the non-trainable weights (batch
   * normalization's moving statistics), which the forward pass updates and the optimizer does
   * not. The driver averages them over the workers at the end of every epoch.
   */
  public TrainSpec localRanges(int[] fromToPairs) { localRanges = fromToPairs.clone(); return this; }

  /**
   * The fit's seed: each task seeds its JVM's backend (dropout) from it, its epoch and its
   * partition, so that a fit repeats exactly when every task has its executor to itself.
   */
  public TrainSpec seed(long v) { seed = v; return this; }

  /** The backend seed of partition {@code p}'s task in epoch {@code epoch}. */
  long taskSeed(int epoch, int p) {
    return KeyedPermutation.mix(seed ^ KeyedPermutation.mix(((long) epoch << 32) | p));
  }

  /** Steps per epoch, the same for every worker: ceil(largest partition / per-worker batch). */
  public int steps() {
    return steps;
  }

  /** See {@link #localRanges(int[])}. */
  public int[] localRanges() {
    return localRanges.clone();
  }

  /** Rows of partition {@code p} in step {@code s} (0 once the partition is used up). */
  long rowsAt(int p, int s) {
    long left = partitionRows[p] - (long) s * perWorkerBatch;
    return Math.max(0, Math.min(perWorkerBatch, left));
  }

  /** Rows of step {@code s} over all workers: the global batch. */
  long globalRowsAt(int s) {
    long r = 0;
    for (int p = 0; p < partitionRows.length; p++) {
      r += rowsAt(p, s);
    }
    return r;
  }
}
