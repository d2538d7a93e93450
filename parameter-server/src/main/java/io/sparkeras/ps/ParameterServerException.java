package io.sparkeras.ps;

/** A parameter-server failure reported to the caller: timeout, authentication, a failed job. */
public class ParameterServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ParameterServerException(String message) {
    super(message);
  }

  public ParameterServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
