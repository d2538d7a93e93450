package io.sparkeras.api.backend;

/** Element types a backend tensor can hold. Model weights and activations are always float32. */
public enum DType {
  FLOAT32,
  INT64,
  BOOL
}
