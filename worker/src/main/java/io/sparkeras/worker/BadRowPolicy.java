package io.sparkeras.worker;

/** What a task does with a row it cannot turn into floats (null, wrong width, NaN or infinity). */
public enum BadRowPolicy {
  /** Fail the task with the row's position in its partition (default). */
  FAIL,
  /** Skip the row and count it ({@link RowBatcher#rowsSkipped()}). */
  SKIP
}
