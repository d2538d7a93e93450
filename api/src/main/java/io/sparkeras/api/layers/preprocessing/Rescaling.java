package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.config.Config;
import java.util.List;
import java.util.Map;

/**
 * {@code x * scale + offset} in float32, Keras's {@code Rescaling} (e.g. pixels 0..255 to 0..1
 * with {@code scale=1/255}). A scale or offset may be one value per channel (last axis).
 *
 * <pre>{@code
 * new Rescaling(1.0 / 255);
 * new Rescaling(1.0 / 127.5, -1);                   // to [-1, 1]
 * }</pre>
 */
public final class Rescaling extends PreprocessingLayer {
  private final double[] scaleConfig;
  private final double[] offsetConfig;
  private final float[] scale;
  private final float[] offset;

  public Rescaling(double scale) {
    this(scale, 0);
  }

  public Rescaling(double scale, double offset) {
    this(new double[] {scale}, new double[] {offset});
  }

  /** Per-channel scale and offset (each of length 1 or the channel count). */
  public Rescaling(double[] scale, double[] offset) {
    this.scaleConfig = scale.clone();
    this.offsetConfig = offset.clone();
    this.scale = new float[scale.length];
    this.offset = new float[offset.length];
    for (int i = 0; i < scale.length; i++) {
      this.scale[i] = (float) scale[i];
    }
    for (int i = 0; i < offset.length; i++) {
      this.offset[i] = (float) offset[i];
    }
  }

  public static Rescaling fromConfig(Config c) {
    Rescaling r = new Rescaling(values(c.get("scale"), "scale"),
        values(c.has("offset") ? c.get("offset") : 0.0, "offset"));
    r.name(c.getString("name", null));
    r.trainable(c.getBoolean("trainable", true));
    return r;
  }

  private static double[] values(Object o, String key) {
    if (o instanceof java.util.Map && ((java.util.Map<?, ?>) o).get("config") instanceof java.util.Map) {
      // a serialised NumPy array: {"class_name": "__numpy__", "config": {"value": [...]}}
      return values(((java.util.Map<?, ?>) ((java.util.Map<?, ?>) o).get("config")).get("value"),
          key);
    }
    return ConfigValues.doubles(o, "Rescaling: " + key);
  }

  @Override
  public HostValue.Kind outputKind(List<HostValue.Kind> kinds) {
    single(kinds, HostValue.Kind.FLOAT, HostValue.Kind.INT);
    return HostValue.Kind.FLOAT;
  }

  @Override
  public int[] computeOutputShape(int[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public void encode(HostValue[] inputs, HostValue out, HostContext context) {
    HostValue in = inputs[0];
    int channels = in.dim(-1);
    if (scale.length > 1 && scale.length != channels || offset.length > 1
        && offset.length != channels) {
      throw new IllegalArgumentException(who() + "scale/offset per channel need " + channels
          + " values, found " + scale.length + "/" + offset.length);
    }
    out.resizeLike(in, false, -1);
    float[] o = out.floats();
    for (int e = 0; e < in.count(); e++) {
      float x = in.kind() == HostValue.Kind.FLOAT ? in.getFloat(e) : (float) in.getInt(e);
      float s = scale[scale.length == 1 ? 0 : e % channels];
      float b = offset[offset.length == 1 ? 0 : e % channels];
      o[e] = x * s + b;
    }
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> m = super.getConfig();
    m.put("scale", ConfigValues.scalarOrList(scaleConfig));
    m.put("offset", ConfigValues.scalarOrList(offsetConfig));
    return m;
  }
}
