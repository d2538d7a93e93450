package io.sparkeras.api.layers;

import static io.sparkeras.api.backend.Backends.ops;

import io.sparkeras.api.backend.Tensor;
import java.util.Locale;

/**
 * Keras's {@code data_format} of spatial layers: {@code channels_last} ({@code [batch, ...,
 * channels]}, the default) or {@code channels_first} ({@code [batch, channels, ...]}). Layers
 * compute channels-last (the layout of {@link io.sparkeras.api.backend.Ops}) and move the channels
 * axis at their boundary with these helpers.
 *
 * <pre>{@code
 * DataFormat f = DataFormat.of(config.getString("data_format", null), "MaxPooling2D");
 * Tensor y = f.fromChannelsLast(ops().maxPool(f.toChannelsLast(x), pool, strides, padding));
 * }</pre>
 */
public enum DataFormat {
  CHANNELS_LAST("channels_last"),
  CHANNELS_FIRST("channels_first");

  private final String kerasName;

  DataFormat(String kerasName) {
    this.kerasName = kerasName;
  }

  /** Parses a Keras value; null reads as {@code channels_last} (Keras's default). */
  public static DataFormat of(String value, String owner) {
    if (value == null) {
      return CHANNELS_LAST;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "channels_last":
        return CHANNELS_LAST;
      case "channels_first":
        return CHANNELS_FIRST;
      default:
        throw new IllegalArgumentException(owner + ": config key 'data_format' expected "
            + "'channels_last' or 'channels_first', found '" + value + "'");
    }
  }

  /** "channels_last" or "channels_first", as Keras writes it. */
  public String kerasName() {
    return kerasName;
  }

  /** A full tensor (batch first) in channels-last layout; the same tensor if already so. */
  public Tensor toChannelsLast(Tensor x) {
    if (this == CHANNELS_LAST || x.rank() < 3) {
      return x;
    }
    int r = x.rank();
    int[] p = new int[r];
    for (int i = 1; i < r - 1; i++) {
      p[i] = i + 1;
    }
    p[r - 1] = 1;
    return ops().transpose(x, p);
  }

  /** The inverse of {@link #toChannelsLast(Tensor)}. */
  public Tensor fromChannelsLast(Tensor x) {
    if (this == CHANNELS_LAST || x.rank() < 3) {
      return x;
    }
    int r = x.rank();
    int[] p = new int[r];
    p[1] = r - 1;
    for (int i = 2; i < r; i++) {
      p[i] = i - 1;
    }
    return ops().transpose(x, p);
  }

  /** A sample shape (batch excluded) in channels-last order. */
  public int[] toChannelsLast(int[] shape) {
    if (this == CHANNELS_LAST || shape.length < 2) {
      return shape.clone();
    }
    int[] s = new int[shape.length];
    System.arraycopy(shape, 1, s, 0, shape.length - 1);
    s[shape.length - 1] = shape[0];
    return s;
  }

  /** The inverse of {@link #toChannelsLast(int[])}. */
  public int[] fromChannelsLast(int[] shape) {
    if (this == CHANNELS_LAST || shape.length < 2) {
      return shape.clone();
    }
    int[] s = new int[shape.length];
    s[0] = shape[shape.length - 1];
    System.arraycopy(shape, 0, s, 1, shape.length - 1);
    return s;
  }

  /** The channels axis of a full tensor of this rank. */
  public int channelAxis(int fullRank) {
    return this == CHANNELS_LAST ? fullRank - 1 : 1;
  }
}
