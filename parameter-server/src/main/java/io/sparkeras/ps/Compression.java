package io.sparkeras.ps;

/** How floats travel on the wire, selectable per job. */
public enum Compression {
  /** Raw little-endian float32. */
  NONE,
  /** IEEE 754 half precision (round to nearest even) for gradients, weights and pulled parameters. */
  FP16,
  /** bfloat16 (the upper 16 bits of a float32, rounded to nearest even), both directions. */
  BF16,
  /**
   * Threshold encoding with residual accumulation (Strom 2015) for pushed gradients: the client
   * adds each gradient to a residual and sends only the indices whose residual reached
   * {@code +-threshold}, each meaning {@code +-threshold}; parameters are pulled as float32.
   */
  THRESHOLD
}
