package io.sparkeras.jobs;

/**
 * A job failure with the exit code {@link Main} returns and a message for the user that names the
 * flag or column at fault. {@link #USAGE} (2): the command line or the input was rejected before
 * any Spark job ran, nothing was written; {@link #FAILED} (1): the job failed while running.
 */
public final class JobException extends RuntimeException {
  /** Exit code of a job that failed while running. */
  public static final int FAILED = 1;
  /** Exit code of a rejected command line or input (nothing was run or written). */
  public static final int USAGE = 2;

  private final int exitCode;

  public JobException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public JobException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A rejected flag or input: exit code {@link #USAGE}. */
  public static JobException usage(String message) {
    return new JobException(USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }

  /** The first line of an exception's message (Spark's messages carry whole plans). */
  static String brief(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
