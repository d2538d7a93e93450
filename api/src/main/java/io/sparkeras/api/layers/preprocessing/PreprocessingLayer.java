package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.backend.Tensor;
import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.config.Config;
import java.io.DataInput;
import java.io.IOException;
import java.util.List;

/**
 * The base of Keras's preprocessing layers here. They run on the host, in Java, one sample at a
 * time, before the network's first engine layer: raw table values (strings, integers, floats,
 * image pixels) go in, the numbers the network takes come out. That is where Keras's own
 * string-typed layers must run too (its torch and JAX backends cannot hold strings), and it
 * lets a Spark task encode each row straight into the batch buffer with no allocation per row.
 * A model that contains them saves them (config, vocabularies under {@code assets/}, state) and
 * so scores raw rows.
 *
 * <p>A subclass says which element types it takes and gives ({@link #outputKind}), its output
 * shape ({@link #computeOutputShape}) and its per-sample math ({@link #encode}); a layer that
 * learns state from data also makes, reads and finishes {@link AdaptState}s.
 *
 * <pre>{@code
 * StringLookup lookup = new StringLookup();
 * lookup.adapt(new String[] {"a", "c", "d", "d", "z", "b"});
 * lookup.getVocabulary();                    // [[UNK], d, z, c, b, a]
 * }</pre>
 */
public abstract class PreprocessingLayer extends Layer implements HostOp {
  protected PreprocessingLayer() {}

  /** Reads the base settings (name, trainable) of a Keras layer config. */
  protected PreprocessingLayer(Config config) {
    super(config);
  }

  /**
   * The element type of the output for inputs of these types; throws
   * {@link IllegalArgumentException} naming the layer and the type it expects otherwise.
   */
  @Override
  public abstract HostValue.Kind outputKind(List<HostValue.Kind> inputKinds);

  /**
   * Encodes one sample: reads {@code inputs} (one per layer input), writes {@code out} (whose
   * kind {@link #outputKind} fixed). Allocates nothing on the good path; bad values throw
   * {@link IllegalArgumentException} with a message saying what was expected.
   */
  @Override
  public abstract void encode(HostValue[] inputs, HostValue out, HostContext context);

  /** Output shape for one input's shape (batch excluded); preprocessing layers compute it. */
  @Override
  public abstract int[] computeOutputShape(int[] inputShape);

  /** The seed of a layer that draws random numbers (its stream in a {@link HostContext}). */
  @Override
  public long seed() {
    return 0;
  }

  /** Whether this layer learns state with {@code adapt} (and has not been given it instead). */
  public boolean isAdaptable() {
    return false;
  }

  /** A new, empty adapt state. */
  public AdaptState newAdaptState() {
    throw notAdaptable();
  }

  /** Reads a state written by {@link AdaptState#write}. */
  public AdaptState readAdaptState(DataInput in) throws IOException {
    throw notAdaptable();
  }

  /** Sets the layer's state from what {@code state} learned (Keras's {@code finalize_state}). */
  public void finishAdapt(AdaptState state) {
    throw notAdaptable();
  }

  private IllegalStateException notAdaptable() {
    return new IllegalStateException("layer '" + getName() + "' (" + getClass().getSimpleName()
        + ") has nothing to adapt");
  }

  /**
   * Learns the layer's state from in-memory data, like Keras's {@code layer.adapt(data)}: one
   * sample per element of {@code data} ({@code String[]}, {@code String[][]}, {@code long[]},
   * {@code int[]}, {@code boolean[]}, {@code float[]}, {@code double[]}, {@code float[][]},
   * {@code double[][]} or an {@link io.sparkeras.api.data.NDArray}).
   */
  public void adapt(Object data) {
    if (!isAdaptable()) {
      throw notAdaptable();
    }
    HostArrays rows = HostArrays.of("adapt data of layer '" + getName() + "'", data);
    AdaptState state = newAdaptState();
    HostValue sample = new HostValue(rows.kind());
    for (int i = 0; i < rows.length(); i++) {
      rows.read(i, sample);
      state.update(sample);
    }
    finishAdapt(state);
  }

  /**
   * Eager call on in-memory data (Keras's {@code layer(data)} outside a model): encodes every
   * sample of {@code data} (see {@link #adapt(Object)} for the forms) in inference mode and
   * returns the outputs, one {@link HostValue} per sample. For tests and exploration.
   */
  public List<HostValue> encodeAll(Object... data) {
    HostArrays[] rows = new HostArrays[data.length];
    HostValue[] in = new HostValue[data.length];
    List<HostValue.Kind> kinds = new java.util.ArrayList<>();
    for (int k = 0; k < data.length; k++) {
      rows[k] = HostArrays.of("input " + k + " of layer '" + getName() + "'", data[k]);
      in[k] = new HostValue(rows[k].kind());
      kinds.add(rows[k].kind());
    }
    HostValue.Kind outKind = outputKind(kinds);
    HostContext context = new HostContext(false, 0).select(0, seed());
    List<HostValue> outs = new java.util.ArrayList<>();
    for (int i = 0; i < rows[0].length(); i++) {
      for (int k = 0; k < data.length; k++) {
        rows[k].read(i, in[k]);
      }
      HostValue out = new HostValue(outKind);
      encode(in, out, context);
      outs.add(out);
    }
    return outs;
  }

  // ---- state in saved files (Keras's save_assets / save_own_variables) ---------------------

  /**
   * Files Keras writes under {@code assets/<layer path>/} (a lookup's {@code vocabulary.txt}),
   * by file name; empty when the state is in the config or there is none.
   */
  public java.util.Map<String, byte[]> saveAssets() {
    return java.util.Map.of();
  }

  /** Reads the files {@link #saveAssets} wrote (missing files: state stays as it is). */
  public void loadAssets(java.util.Map<String, byte[]> files) {}

  /**
   * The arrays Keras keeps in the weights file under the layer's {@code vars} (its
   * {@code save_own_variables}), by store key: Normalization's {@code "0"} mean, {@code "1"}
   * variance, {@code "2"} count; a TF-IDF lookup's {@code "idf_weights"}.
   */
  public java.util.Map<String, StoredArray> saveOwnVariables() {
    return java.util.Map.of();
  }

  /** Restores what {@link #saveOwnVariables} saved. */
  public void loadOwnVariables(java.util.Map<String, StoredArray> store) {}

  /** Preprocessing layers run on the host: the network never calls them on engine tensors. */
  @Override
  public Tensor call(Tensor input, boolean training) {
    throw new UnsupportedOperationException("layer '" + getName() + "' ("
        + getClass().getSimpleName() + ") is a preprocessing layer: it runs on the host on raw "
        + "values before the network, so its inputs must come from model inputs or other "
        + "preprocessing layers");
  }

  /** Message prefix naming the layer: {@code "StringLookup 'zip_preprocessor': "}. */
  protected String who() {
    return getClass().getSimpleName() + " '" + getName() + "': ";
  }

  /** Checks a layer with one input got one input of an allowed kind. */
  protected HostValue.Kind single(List<HostValue.Kind> kinds, HostValue.Kind... allowed) {
    if (kinds.size() != 1) {
      throw new IllegalArgumentException(who() + "expects 1 input, found " + kinds.size());
    }
    for (HostValue.Kind k : allowed) {
      if (kinds.get(0) == k) {
        return k;
      }
    }
    throw new IllegalArgumentException(who() + "expects " + describe(allowed) + " input, found "
        + kinds.get(0).dtype());
  }

  private static String describe(HostValue.Kind[] kinds) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      b.append(i == 0 ? "" : i == kinds.length - 1 ? " or " : ", ").append(kinds[i].dtype());
    }
    return b.toString();
  }

  /** A Keras dtype policy with this name ({@code "int64"}, {@code "float32"}). */
  protected static java.util.Map<String, Object> dtypePolicy(String name) {
    java.util.Map<String, Object> policy = Layer.dtypePolicy();
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> c = (java.util.Map<String, Object>) policy.get("config");
    c.put("name", name);
    return policy;
  }
}
