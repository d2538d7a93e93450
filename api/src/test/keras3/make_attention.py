"""Keras reference cases for the attention layers (see refs.py): Attention (use_scale, score_mode
dot and concat, causal mask, returned scores, query and value masks), AdditiveAttention,
MultiHeadAttention (attention_mask, use_causal_mask, return_attention_scores, masks flowing in
and out, value_dim/output_shape/no bias, a separate key, both of Keras's code paths) and
GroupQueryAttention, and a tf.keras 2 style MultiHeadAttention config (value passed by name).

Masks flow as in make_rnn.py (masks.py; nested models called with mask=...)."""
import copy
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402
import masks  # noqa: E402
from refs import OUT, case, rng  # noqa: E402


masks.enable()


def x_of(seed, shape):
    return rng(seed).standard_normal(shape).astype("float32")


QM = np.array([[1, 1, 1, 0], [1, 0, 1, 1]], dtype=bool)          # query masks (2, 4)
VM = np.array([[1, 1, 0, 1, 0], [0, 0, 0, 0, 0]], dtype=bool)    # value masks (2, 5); sample 1 all masked


def qv(name, build, seed, key=False, key_dim=3, note=""):
    """A model (q, v[, k]) -> build(q, v[, k]); q (4, 6), v (5, 6), k (5, key_dim)."""
    q = keras.Input((4, 6), name="q")
    v = keras.Input((5, 6), name="v")
    ins = [q, v]
    if key:
        ins.append(keras.Input((5, key_dim), name="k"))
    outs = build(*ins)
    model = keras.Model(ins, outs if isinstance(outs, (list, tuple)) else [outs], name=name)
    xs = [x_of(seed, (2, 4, 6)), x_of(seed + 1, (2, 5, 6))]
    if key:
        xs.append(x_of(seed + 2, (2, 5, key_dim)))
    return case(name, model, xs, note=note)


def qv_masked(name, build, seed, note=""):
    """Masks flowing: inner model ([q, v]) -> build(q, v), called with mask=[qm, vm]."""
    qi = keras.Input((4, 6), name="inner_q")
    vi = keras.Input((5, 6), name="inner_v")
    inner = keras.Model([qi, vi], build(qi, vi), name="inner")
    q = keras.Input((4, 6), name="q")
    v = keras.Input((5, 6), name="v")
    qm = keras.Input((4,), dtype="bool", name="qm")
    vm = keras.Input((5,), dtype="bool", name="vm")
    model = keras.Model([q, v, qm, vm], inner([q, v], mask=[qm, vm]), name=name)
    return case(name, model, [x_of(seed, (2, 4, 6)), x_of(seed + 1, (2, 5, 6)), QM, VM],
                note=note)


# ---- Attention / AdditiveAttention -------------------------------------------------------------
qv("attention_dot", lambda q, v: layers.Attention()([q, v]), 1)
qv("attention_scaled_causal_scores", lambda q, v, k: list(layers.Attention(use_scale=True)(
    [q, v, k], use_causal_mask=True, return_attention_scores=True)), 3, key=True, key_dim=6)
qv("attention_concat", lambda q, v: layers.Attention(score_mode="concat", use_scale=True)(
    [q, v]), 5)
qv_masked("attention_masked", lambda q, v: list(layers.Attention(dropout=0.2)(
    [q, v], use_causal_mask=True, return_attention_scores=True)), 7,
    note="query and value masks flowing in; sample 1 has every value masked")
# Keras 3.10's Attention fails on a (batch, Tv) value mask without use_causal_mask (it does not
# expand it to (batch, 1, Tv) on that path); given as (batch, 1, Tv) it computes the intended
# (tf.keras 2) result, which this case records.
q = keras.Input((4, 6), name="q")
v = keras.Input((5, 6), name="v")
qm = keras.Input((4,), dtype="bool", name="qm")
vm = keras.Input((1, 5), dtype="bool", name="vm")
case("attention_value_mask", keras.Model([q, v, qm, vm], layers.Attention()([q, v],
     mask=[qm, vm]), name="attention_value_mask"),
     [x_of(31, (2, 4, 6)), x_of(32, (2, 5, 6)), QM, VM[:, None, :]],
     note="explicit masks, the value mask given as (batch, 1, Tv)")
qv("additive_attention", lambda q, v: layers.AdditiveAttention()([q, v]), 9)
qv_masked("additive_attention_masked_no_scale", lambda q, v: list(layers.AdditiveAttention(
    use_scale=False)([q, v], use_causal_mask=True, return_attention_scores=True)), 11)

# ---- MultiHeadAttention ------------------------------------------------------------------------
qv("mha_separate_key_value_dim", lambda q, v, k: layers.MultiHeadAttention(
    2, 3, value_dim=4, output_shape=5, use_bias=False)(q, v, k), 13, key=True)


def with_attention_mask(name, layer, seed, **kw):
    q = keras.Input((4, 6), name="q")
    v = keras.Input((5, 6), name="v")
    am = keras.Input((4, 5), dtype="bool", name="am")
    outs = layer(q, v, attention_mask=am, **kw)
    model = keras.Model([q, v, am], list(outs) if isinstance(outs, tuple) else outs, name=name)
    mask = rng(seed + 9).random((2, 4, 5)) > 0.4
    mask[1, 2, :] = False  # a query step with nothing to attend to
    return case(name, model, [x_of(seed, (2, 4, 6)), x_of(seed + 1, (2, 5, 6)), mask])


with_attention_mask("mha_attention_mask", layers.MultiHeadAttention(2, 3), 15)
with_attention_mask("mha_attention_mask_scores", layers.MultiHeadAttention(3, 2), 17,
                    return_attention_scores=True)
x = keras.Input((5, 6), name="x")
ys = layers.MultiHeadAttention(2, 4, name="mha")(x, x, use_causal_mask=True,
                                                 return_attention_scores=True)
case("mha_causal_scores", keras.Model(x, list(ys), name="mha_causal_scores"), x_of(19, (2, 5, 6)))
qv_masked("mha_masked_dot_path", lambda q, v: layers.GlobalAveragePooling1D()(
    layers.MultiHeadAttention(2, 3)(q, v)), 21,
    note="masks in; the output's query mask reaches the pooling; dot_product_attention path")
qv_masked("mha_masked_softmax_path", lambda q, v: layers.MultiHeadAttention(2, 3, dropout=0.1)(
    q, v), 23, note="dropout > 0: Keras's Softmax path (fully masked rows give zeros)")

# ---- GroupQueryAttention -----------------------------------------------------------------------
qv("gqa_basic", lambda q, v: layers.GroupQueryAttention(3, 4, 2)(q, v), 25)
# (Keras 3.10's GroupQueryAttention cannot return its scores in a functional model: it has no
# compute_output_spec for them)
qv("gqa_key_causal", lambda q, v, k: layers.GroupQueryAttention(2, 6, 3, dropout=0.1)(
    q, v, k, use_causal_mask=True), 27, key=True, note="dropout > 0: the Softmax path")
qv_masked("gqa_masked", lambda q, v: layers.GroupQueryAttention(2, 2, 1, use_bias=False)(q, v),
          29)


# ---- tf.keras 2 style MultiHeadAttention: value by name, build shapes in the config ---------------
def legacy_mha(name):
    with open(os.path.join(OUT, name + ".json")) as f:
        doc = json.load(f)
    model = copy.deepcopy(doc["model"])
    for k in ("module", "registered_name", "build_config"):
        model.pop(k, None)
    model["class_name"] = "Functional"
    layers_ = []
    for l in model["config"]["layers"]:
        e = {"class_name": l["class_name"], "name": l["name"], "config": dict(l["config"])}
        if isinstance(e["config"].get("dtype"), dict):
            e["config"]["dtype"] = "float32"
        if e["class_name"] == "InputLayer":
            e["config"]["batch_input_shape"] = e["config"].pop("batch_shape")
        if e["class_name"] == "MultiHeadAttention":
            e["config"]["query_shape"] = [None, 4, 6]
            e["config"]["value_shape"] = [None, 5, 6]
            e["config"]["key_shape"] = [None, 5, 3]
        nodes = []
        for n in l.get("inbound_nodes", []):
            hist = [a["config"]["keras_history"] for a in n["args"]]
            nodes.append([hist[0] + [{"value": hist[1], "key": hist[2]}]])
        e["inbound_nodes"] = nodes
        layers_.append(e)
    model["config"]["layers"] = layers_
    doc["model"] = model
    doc["name"] = name + "_tfkeras2"
    with open(os.path.join(OUT, name + "_tfkeras2.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


legacy_mha("mha_separate_key_value_dim")
