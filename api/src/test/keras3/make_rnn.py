"""Keras reference cases for the recurrent layers (see refs.py): SimpleRNN, LSTM, GRU (reset_after
true and false), RNN with cells and StackedRNNCells, return_sequences, return_state, go_backwards,
initial states, masks (given explicitly, and flowing from layer to layer), Bidirectional with
every merge mode and a given backward layer, TimeDistributed, ConvLSTM1D/2D/3D, and tf.keras 2
style configs of some of them.

Masks: Keras 3's NumPy backend does not attach masks to its outputs, so a mask would not flow
from one layer to the next in predict(); masks.enable() lets it (see masks.py), and this script
checks on one case that the flowing mask gives what passing the mask to each layer by hand gives.
A mask reaches a chain of layers through a nested model called with mask=... (Keras's
Functional.call(inputs, mask)); a mask passed to one layer explicitly is used by it and, as in
Keras, not passed on.

tf.keras 2 configs: `legacy()` rewrites a case's Keras 3 model JSON into the form tf.keras 2.x
writes (no module/registered_name, dtype strings, batch_input_shape on the first layer,
time_major and implementation keys, nested layer configs without module, list-form
inbound_nodes with initial states as extra inputs) and stores it as <name>_tfkeras2.json with
the same weights, inputs and outputs."""
import copy
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402
from keras import tree  # noqa: E402
import masks  # noqa: E402
from refs import OUT, case, rng  # noqa: E402


masks.enable()


def x_of(seed, shape):
    return rng(seed).standard_normal(shape).astype("float32")


# masks for (2, 6) sequences: sample 0 padded at the end, sample 1 at the start with a hole
MASK6 = np.array([[1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 0, 1]], dtype=bool)


def seq(name, shape, *ls):
    return keras.Sequential([keras.Input(shape)] + list(ls), name=name)


def flowing(name, shape, build, seed, note=""):
    """Masks flowing along a graph: an inner functional model x -> build(x), called by the outer
    model as inner(x, mask=m), so that the mask is attached to the inner model's input and flows
    from layer to layer (Keras's Functional.call(inputs, mask))."""
    xi = keras.Input(shape, name="inner_x")
    inner = keras.Model(xi, build(xi), name="inner")
    x = keras.Input(shape, name="x")
    m = keras.Input(shape[:1], dtype="bool", name="mask")
    model = keras.Model([x, m], inner(x, mask=m), name=name)
    return case(name, model, [x_of(seed, (2,) + shape), MASK6], note=note)


def check_flowing_by_hand(name):
    """The flowing mask gives what passing it to every layer by hand gives."""
    with open(os.path.join(OUT, name + ".json")) as f:
        doc = json.load(f)
    xv = np.array(doc["inputs"][0]["values"], dtype="float32").reshape(doc["inputs"][0]["shape"])
    ws = [np.array(w["values"], dtype="float32").reshape(w["shape"]) for w in doc["weights"]]
    lstm = layers.LSTM(4, return_sequences=True)
    gru = layers.GRU(2)
    gru(lstm(keras.Input(xv.shape[1:])))
    lstm.set_weights(ws[:3])
    gru.set_weights(ws[3:])
    by_hand = gru(lstm(xv, mask=MASK6), mask=MASK6)
    expected = np.array(doc["outputs"][0]["values"]).reshape(by_hand.shape)
    assert np.allclose(by_hand, expected, atol=1e-6), (by_hand, expected)


def masked(name, shape, build, seed, note=""):
    """A functional model (x, mask) -> build(x, mask)."""
    x = keras.Input(shape, name="x")
    m = keras.Input(shape[:1], dtype="bool", name="mask")
    outs = build(x, m)
    model = keras.Model([x, m], outs, name=name)
    return case(name, model, [x_of(seed, (2,) + shape), MASK6], note=note)


# ---- SimpleRNN / LSTM / GRU ------------------------------------------------------------------
case("simple_rnn_last", seq("simple_rnn_last", (5, 3), layers.SimpleRNN(4)), x_of(1, (2, 5, 3)))
case("simple_rnn_sequences_backwards", seq("simple_rnn_sequences_backwards", (5, 3),
     layers.SimpleRNN(4, activation="relu", return_sequences=True, go_backwards=True)),
     x_of(2, (2, 5, 3)))
case("lstm_sequences", seq("lstm_sequences", (6, 3), layers.LSTM(4, return_sequences=True)),
     x_of(3, (2, 6, 3)))
case("lstm_backwards_no_bias", seq("lstm_backwards_no_bias", (5, 2),
     layers.LSTM(3, use_bias=False, unit_forget_bias=False, go_backwards=True,
                 recurrent_activation="relu")),
     x_of(4, (2, 5, 2)))
case("gru_reset_after", seq("gru_reset_after", (5, 3), layers.GRU(3)), x_of(5, (2, 5, 3)))
case("gru_reset_before_sequences_backwards", seq("gru_reset_before_sequences_backwards", (5, 3),
     layers.GRU(3, reset_after=False, return_sequences=True, go_backwards=True)),
     x_of(6, (2, 5, 3)))

# ---- states ------------------------------------------------------------------------------------
x = keras.Input((5, 3), name="x")
out, h, c = layers.LSTM(4, return_state=True, return_sequences=True, name="lstm")(x)
case("lstm_return_state", keras.Model(x, [out, h, c], name="lstm_return_state"),
     x_of(7, (2, 5, 3)))

x = keras.Input((5, 3), name="x")
h0 = keras.Input((3,), name="h0")
y = layers.GRU(3, name="gru")(x, initial_state=h0)
case("gru_initial_state", keras.Model([x, h0], y, name="gru_initial_state"),
     [x_of(8, (2, 5, 3)), x_of(9, (2, 3))])

x = keras.Input((5, 3), name="x")
h0 = keras.Input((4,), name="h0")
c0 = keras.Input((4,), name="c0")
ys = layers.LSTM(4, return_sequences=True, return_state=True, go_backwards=True,
                 name="lstm")(x, initial_state=[h0, c0])
case("lstm_initial_state_return_state", keras.Model([x, h0, c0], list(ys),
     name="lstm_initial_state_return_state"), [x_of(10, (2, 5, 3)), x_of(11, (2, 4)),
                                                x_of(12, (2, 4))])

# ---- RNN with cells ----------------------------------------------------------------------------
case("rnn_lstm_cell", seq("rnn_lstm_cell", (5, 3), layers.RNN(layers.LSTMCell(3))),
     x_of(13, (2, 5, 3)))
x = keras.Input((5, 3), name="x")
ys = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3, reset_after=False),
                 layers.SimpleRNNCell(2)], return_sequences=True, return_state=True,
                name="stacked")(x)
case("rnn_stacked_cells", keras.Model(x, tree.flatten(ys), name="rnn_stacked_cells"),
     x_of(14, (2, 5, 3)))

# ---- masks -------------------------------------------------------------------------------------
masked("lstm_masked_sequences", (6, 3),
       lambda x, m: layers.LSTM(4, return_sequences=True)(x, mask=m), 15)
masked("gru_masked_last", (6, 3), lambda x, m: layers.GRU(3)(x, mask=m), 16)
masked("simple_rnn_masked_backwards", (6, 3), lambda x, m: layers.SimpleRNN(
    3, return_sequences=True, go_backwards=True)(x, mask=m), 17)
masked("masked_explicit_stays", (6, 3), lambda x, m: layers.GRU(2)(
    layers.LSTM(4, return_sequences=True)(x, mask=m)), 18,
    note="a mask passed explicitly is used by the LSTM but not passed on to the GRU (Keras)")
flowing("masked_stack_flowing", (6, 3), lambda x: layers.GRU(2)(
    layers.LSTM(4, return_sequences=True)(x)), 21, note="the GRU gets the LSTM's output mask")
check_flowing_by_hand("masked_stack_flowing")
flowing("masked_pooling", (6, 3), lambda x: layers.GlobalAveragePooling1D()(
    layers.SimpleRNN(3, return_sequences=True)(x)), 19,
    note="GlobalAveragePooling1D averages the kept steps")
flowing("masked_dense_then_lstm", (6, 3), lambda x: layers.LSTM(2)(
    layers.Dense(4, activation="tanh")(layers.LSTM(3, return_sequences=True)(x))), 20,
    note="the mask flows through Dense")

# ---- Bidirectional -----------------------------------------------------------------------------
for i, mode in enumerate(["concat", "sum", "mul", "ave", None]):
    name = "bidirectional_" + (mode or "none")
    masked(name, (6, 3), lambda x, m, mode=mode: layers.Bidirectional(
        layers.LSTM(3, return_sequences=True), merge_mode=mode)(x, mask=m), 30 + i,
        note="merge_mode=%s, return_sequences, masked" % mode)
flowing("bidirectional_masked_flowing", (6, 3), lambda x: layers.LSTM(2)(
    layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode="ave")(x)), 35,
    note="the mask flows through Bidirectional into the LSTM")
case("bidirectional_gru_last", seq("bidirectional_gru_last", (5, 3),
     layers.Bidirectional(layers.GRU(3))), x_of(36, (2, 5, 3)))
case("bidirectional_backward_layer", seq("bidirectional_backward_layer", (5, 3),
     layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True), merge_mode="sum",
                          backward_layer=layers.SimpleRNN(3, activation="relu",
                                                          return_sequences=True,
                                                          go_backwards=True))),
     x_of(37, (2, 5, 3)))
x = keras.Input((5, 3), name="x")
states = [keras.Input((2,), name="s%d" % i) for i in range(4)]
ys = layers.Bidirectional(layers.LSTM(2, return_state=True), name="bidi")(
    x, initial_state=states)
case("bidirectional_states", keras.Model([x] + states, list(ys), name="bidirectional_states"),
     [x_of(38, (2, 5, 3))] + [x_of(39 + i, (2, 2)) for i in range(4)])

# ---- TimeDistributed ---------------------------------------------------------------------------
case("time_distributed_dense", seq("time_distributed_dense", (4, 5),
     layers.TimeDistributed(layers.Dense(3, activation="relu"))), x_of(45, (2, 4, 5)))
case("time_distributed_conv2d", seq("time_distributed_conv2d", (3, 5, 5, 2),
     layers.TimeDistributed(layers.Conv2D(3, 3, padding="same"))), x_of(46, (2, 3, 5, 5, 2)))
flowing("time_distributed_masked", (6, 3), lambda x: layers.GRU(2)(
    layers.TimeDistributed(layers.Dense(4))(x)), 47,
    note="the mask flows through TimeDistributed into the GRU")

# ---- ConvLSTM ----------------------------------------------------------------------------------
case("conv_lstm1d_sequences", seq("conv_lstm1d_sequences", (3, 6, 2),
     layers.ConvLSTM1D(3, 3, return_sequences=True)), x_of(50, (2, 3, 6, 2)))
case("conv_lstm2d_same", seq("conv_lstm2d_same", (3, 4, 5, 2),
     layers.ConvLSTM2D(2, 3, padding="same")), x_of(51, (2, 3, 4, 5, 2)))
x = keras.Input((3, 2, 5, 4), name="x")
ys = layers.ConvLSTM2D(2, (2, 3), strides=(1, 2), data_format="channels_first",
                       return_state=True, go_backwards=True, name="conv_lstm")(x)
case("conv_lstm2d_channels_first_states", keras.Model(x, list(ys),
     name="conv_lstm2d_channels_first_states"), x_of(52, (2, 3, 2, 5, 4)))
case("conv_lstm3d", seq("conv_lstm3d", (2, 3, 4, 3, 1),
     layers.ConvLSTM3D(2, 2, return_sequences=True)), x_of(53, (2, 2, 3, 4, 3, 1)))


# ---- tf.keras 2 style configs ------------------------------------------------------------------
RNN_CLASSES = {"SimpleRNN", "LSTM", "GRU"}


def legacy_layer(entry):
    e = {k: v for k, v in entry.items() if k not in ("module", "registered_name", "build_config")}
    cfg = dict(e["config"])
    if isinstance(cfg.get("dtype"), dict):
        cfg["dtype"] = "float32"
    for k, v in list(cfg.items()):
        if isinstance(v, dict) and "class_name" in v and "config" in v:
            cfg[k] = legacy_layer(v)
    if e["class_name"] in RNN_CLASSES:
        cfg["time_major"] = False
        cfg.pop("seed", None)
        if not cfg.get("zero_output_for_mask"):
            cfg.pop("zero_output_for_mask", None)
        if e["class_name"] != "SimpleRNN":
            cfg["implementation"] = 2
    if e["class_name"] == "Bidirectional":
        cfg.pop("backward_layer", None)
    e["config"] = cfg
    return e


def legacy(name, functional=False):
    path = os.path.join(OUT, name + ".json")
    with open(path) as f:
        doc = json.load(f)
    model = copy.deepcopy(doc["model"])
    model.pop("module", None)
    model.pop("registered_name", None)
    model.pop("build_config", None)
    layers_ = model["config"]["layers"]
    if not functional:
        first = layers_.pop(0)
        converted = [legacy_layer(l) for l in layers_]
        converted[0]["config"]["batch_input_shape"] = first["config"]["batch_shape"]
        model["config"]["layers"] = converted
    else:
        model["class_name"] = "Functional"
        converted = []
        for l in layers_:
            nodes = l.get("inbound_nodes", [])
            e = legacy_layer(l)
            if e["class_name"] == "InputLayer":
                e["config"]["batch_input_shape"] = e["config"].pop("batch_shape")
            e["name"] = l["name"]
            e["inbound_nodes"] = []
            for n in nodes:
                refs = []

                def collect(o):
                    if isinstance(o, dict) and o.get("class_name") == "__keras_tensor__":
                        refs.append(o["config"]["keras_history"] + [{}])
                    elif isinstance(o, list):
                        for i in o:
                            collect(i)
                collect(n["args"])
                collect(n["kwargs"].get("initial_state", []))  # tf.keras 2: extra inputs
                e["inbound_nodes"].append(refs)
            converted.append(e)
        model["config"]["layers"] = converted
    doc["model"] = model
    doc["name"] = name + "_tfkeras2"
    doc["keras_version"] = "2.15.0 form, rewritten from " + doc["keras_version"]
    with open(os.path.join(OUT, name + "_tfkeras2.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


for n in ["lstm_sequences", "gru_reset_before_sequences_backwards", "bidirectional_gru_last",
          "time_distributed_dense", "simple_rnn_last"]:
    legacy(n)
legacy("lstm_initial_state_return_state", functional=True)
