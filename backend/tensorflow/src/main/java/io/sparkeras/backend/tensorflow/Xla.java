package io.sparkeras.backend.tensorflow;

import java.util.Locale;
import org.slf4j.Logger;

/**
 * XLA compilation of the tensorflow backend's traced steps, like Keras's {@code jit_compile} on
 * its TensorFlow backend, chosen per JVM with {@code -Dsparkeras.tensorflow.xla} or
 * {@code SPARKERAS_TF_XLA}: {@code off} (default: TensorFlow's own kernels run every operation)
 * or {@code on} (TensorFlow's auto-clustering compiles every operation XLA supports into fused
 * kernels). Measured on a CPU (docs/backends.md "XLA"): a large-batch MLP trains 1.4x faster, a
 * CNN and an LSTM several times slower, so it stays off unless measured to pay.
 *
 * <p>On a CPU, TensorFlow compiles only when the JVM starts with
 * {@code TF_XLA_FLAGS=--tf_xla_cpu_global_jit}; TensorFlow reads it once, in native code, so a
 * JVM cannot set it for itself. {@code bin/sparkeras} exports it from {@code SPARKERAS_TF_XLA};
 * Spark executors get it with {@code spark.executorEnv.TF_XLA_FLAGS}.
 *
 * <pre>{@code
 * SPARKERAS_BACKEND=tensorflow SPARKERAS_TF_XLA=on bin/sparkeras bench api
 * }</pre>
 */
public enum Xla {
  OFF("off", ""),
  ON("on", "--tf_xla_cpu_global_jit");

  /** The setting's value. */
  final String value;
  /** The {@code TF_XLA_FLAGS} a CPU JVM needs for it. */
  final String cpuFlags;

  Xla(String value, String cpuFlags) {
    this.value = value;
    this.cpuFlags = cpuFlags;
  }

  /** The flags this mode needs on a CPU, for {@code TF_XLA_FLAGS}. */
  public String cpuFlags() {
    return cpuFlags;
  }

  /** Parses a setting's value; the error names the setting and the values it takes. */
  public static Xla parse(String v, String from) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    for (Xla x : values()) {
      if (x.value.equals(s)) {
        return x;
      }
    }
    if (s.equals("true")) {
      return ON;
    }
    if (s.equals("false")) {
      return OFF;
    }
    throw new IllegalArgumentException(from + ": expected off or on, found '" + v + "'");
  }

  /** The JVM's setting: the property, else the environment variable, else {@code off}. */
  static Xla configured() {
    String v = System.getProperty(TensorFlowBackend.XLA_PROP_NAME);
    String from = "-D" + TensorFlowBackend.XLA_PROP_NAME;
    if (v == null) {
      v = System.getenv(TensorFlowBackend.XLA_ENV_NAME);
      from = TensorFlowBackend.XLA_ENV_NAME;
    }
    return v == null || v.isBlank() ? OFF : parse(v, from);
  }

  /** Whether TensorFlow's flags, as the JVM started with them, make this mode compile on a CPU. */
  boolean flagsSuffice(String tfXlaFlags) {
    String flags = " " + (tfXlaFlags == null ? "" : tfXlaFlags) + " ";
    for (String f : cpuFlags.split(" ")) {
      if (!f.isEmpty() && !flags.contains(" " + f + " ")) {
        return false;
      }
    }
    return true;
  }

  /** Warns, saying what to set, when TensorFlow's flags leave this mode without effect. */
  void checkFlags(String tfXlaFlags, Logger log) {
    if (!flagsSuffice(tfXlaFlags)) {
      log.warn("tensorflow backend: {}={} compiles nothing on a CPU unless the JVM starts with "
          + "{}=\"{}\" (found \"{}\"); bin/sparkeras sets it from {}, Spark executors take "
          + "spark.executorEnv.{}", TensorFlowBackend.XLA_PROP_NAME, value,
          TensorFlowBackend.XLA_FLAGS_ENV_NAME, cpuFlags, tfXlaFlags == null ? "" : tfXlaFlags,
          TensorFlowBackend.XLA_ENV_NAME, TensorFlowBackend.XLA_FLAGS_ENV_NAME);
    }
  }
}
