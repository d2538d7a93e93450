package io.sparkeras.api.layers;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Keras's {@code utils/naming}: class names in snake_case, as Keras writes them in default layer
 * names ({@code dense}, {@code dense_1}, ...) and in the group names of its weight files
 * ({@code layers/batch_normalization}).
 *
 * <pre>{@code
 * Naming.snakeCase("Conv2DTranspose");   // "conv2d_transpose"
 * Naming.snakeCase("PReLU");             // "p_re_lu"
 * }</pre>
 */
public final class Naming {
  private static final Pattern NON_WORD = Pattern.compile("\\W+");
  private static final Pattern CAP_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");
  private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

  private Naming() {}

  /** Keras's {@code to_snake_case}: {@code BatchNormalization} to {@code batch_normalization}. */
  public static String snakeCase(String name) {
    String n = NON_WORD.matcher(name).replaceAll("");
    n = CAP_WORD.matcher(n).replaceAll("$1_$2");
    return LOWER_UPPER.matcher(n).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }

  /** A name unique in this JVM for an object of this class: {@code dense}, {@code dense_1}, ... */
  static String autoName(Class<?> type) {
    String base = snakeCase(type.getSimpleName());
    int n = COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).getAndIncrement();
    return n == 0 ? base : base + "_" + n;
  }
}
