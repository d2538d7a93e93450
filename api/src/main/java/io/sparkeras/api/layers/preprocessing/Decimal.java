package io.sparkeras.api.layers.preprocessing;

/** Writes a long as its decimal ASCII digits, like {@code tf.as_string}, without allocating. */
final class Decimal {
  private Decimal() {}

  /** Writes {@code v} into {@code b} (at least 20 bytes) from index 0; returns the length. */
  static int write(long v, byte[] b) {
    if (v == Long.MIN_VALUE) {
      byte[] min = {'-', '9', '2', '2', '3', '3', '7', '2', '0', '3', '6', '8', '5', '4', '7', '7',
          '5', '8', '0', '8'};
      System.arraycopy(min, 0, b, 0, min.length);
      return min.length;
    }
    int n = 0;
    boolean negative = v < 0;
    long x = negative ? -v : v;
    do {
      b[n++] = (byte) ('0' + x % 10);
      x /= 10;
    } while (x != 0);
    if (negative) {
      b[n++] = '-';
    }
    for (int i = 0, j = n - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return n;
  }
}
