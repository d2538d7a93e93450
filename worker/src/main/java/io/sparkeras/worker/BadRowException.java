package io.sparkeras.worker;

/** A row that cannot be read as the model's input or target, with its position in the partition. */
public final class BadRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int partition;
  private final long row;

  public BadRowException(int partition, long row, String problem) {
    super("row " + row + " of partition " + partition + ": " + problem);
    this.partition = partition;
    this.row = row;
  }

  public int partition() {
    return partition;
  }

  /** 0-based position of the row among the rows the task read from its partition. */
  public long row() {
    return row;
  }
}
