"""Writes the Keras files the api module's file-format tests read (run with real Keras 3.10.0):

    ../shared/tools/keras3/run api/src/test/keras3/make_files.py

Into ../resources/keras3/files/ (or $FILES_OUT), for each case <name>:
  <name>.keras / .weights.h5 / .h5   the file, written by Keras itself (or, where this Keras
                                     cannot, laid out with h5py exactly as Keras does; said below)
  <name>.io.json                     {"inputs": [...], "outputs": [...], "note": ...} with
                                     outputs = Keras's predictions (refs.py's array format)
Optimizer cases also hold "gradients" (one per trainable variable, model order) and
"after_step" (every model weight after Keras's apply_gradients with those gradients on the
loaded model: what one more step must give).
"""
import json
import os
import sys
import zipfile
import io

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refs import _array, randomize_weights, rng  # noqa: E402

import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("FILES_OUT", os.path.join(HERE, "..", "resources", "keras3", "files"))
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def write_io(name, xs, ys, note="", **extra):
    xs = xs if isinstance(xs, (list, tuple)) else [xs]
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    doc = {"name": name, "keras_version": keras.__version__, "note": note,
           "inputs": [_array(x) for x in xs], "outputs": [_array(y) for y in ys]}
    doc.update(extra)
    with open(path(name + ".io.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def predict(model, xs):
    return model.predict(xs, verbose=0)


def mlp():
    m = keras.Sequential([keras.Input((12,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dropout(0.2), keras.layers.Dense(5, activation="softmax")],
                         name="mlp")
    randomize_weights(m, seed=1)
    return m


def cnn():
    m = keras.Sequential([keras.Input((8, 8, 2)),
                          keras.layers.Conv2D(4, 3, activation="relu"),
                          keras.layers.BatchNormalization(),
                          keras.layers.MaxPooling2D(2),
                          keras.layers.Conv2D(6, 2, padding="same"),
                          keras.layers.Flatten(),
                          keras.layers.Dense(3, activation="softmax")], name="cnn")
    randomize_weights(m, seed=2)
    return m


def two_input():
    a = keras.Input((6,), name="a")
    b = keras.Input((6,), name="b")
    shared = keras.layers.Dense(8, activation="tanh", name="shared")
    x = keras.layers.Concatenate(name="concat")([shared(a), shared(b)])
    out = keras.layers.Dense(2, activation="sigmoid", name="out")(x)
    m = keras.Model([a, b], out, name="two_input")
    randomize_weights(m, seed=3)
    return m


def lstm():
    m = keras.Sequential([keras.Input((5,), dtype="int32"), keras.layers.Embedding(20, 6),
                          keras.layers.LSTM(7), keras.layers.Dense(2)], name="lstm_model")
    randomize_weights(m, seed=4)
    return m


# ---- plain models: .keras, and .weights.h5 for two of them --------------------------------
x12 = rng(10).standard_normal((4, 12)).astype("float32")
ximg = rng(11).standard_normal((3, 8, 8, 2)).astype("float32")
xa = rng(12).standard_normal((4, 6)).astype("float32")
xb = rng(13).standard_normal((4, 6)).astype("float32")
xtok = rng(14).integers(0, 20, (3, 5)).astype("int32")

for name, model, xs in [("mlp", mlp(), x12), ("cnn", cnn(), ximg),
                        ("two_input", two_input(), [xa, xb]), ("lstm", lstm(), xtok)]:
    model.save(path(name + ".keras"))
    write_io(name, xs, predict(model, xs))
    if name in ("mlp", "cnn"):
        model.save_weights(path(name + ".weights.h5"))

# ---- compiled, one real optimizer step, then the step that must follow ----------------------
for name, opt in [("adam_stepped", keras.optimizers.Adam(1e-2)),
                  ("sgd_momentum_stepped", keras.optimizers.SGD(0.05, momentum=0.9))]:
    m = mlp()
    m.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    m.optimizer.build(m.trainable_variables)
    g1 = [rng(20 + i).standard_normal(tuple(v.shape)).astype("float32") * 0.1
          for i, v in enumerate(m.trainable_variables)]
    m.optimizer.apply_gradients(zip(g1, m.trainable_variables))
    m.save(path(name + ".keras"))
    y = predict(m, x12)
    loaded = keras.saving.load_model(path(name + ".keras"))
    g2 = [rng(40 + i).standard_normal(tuple(v.shape)).astype("float32") * 0.1
          for i, v in enumerate(loaded.trainable_variables)]
    loaded.optimizer.apply_gradients(zip(g2, loaded.trainable_variables))
    write_io(name, x12, y, note="one step with 'gradients' after loading gives 'after_step'",
             gradients=[_array(g) for g in g2],
             after_step=[_array(keras.ops.convert_to_numpy(w.value)) for w in loaded.weights],
             iterations_after_step=int(keras.ops.convert_to_numpy(loaded.optimizer.iterations)))

# ---- weights stored as float16 and float64 (layers of that dtype) ---------------------------
for dt in ("float16", "float64"):
    m = keras.Sequential([keras.Input((12,)), keras.layers.Dense(16, activation="relu", dtype=dt),
                          keras.layers.Dense(5, dtype=dt)], name="mlp_" + dt)
    randomize_weights(m, seed=5)
    m.save(path("mlp_" + dt + ".keras"))
    # The expected outputs: the same (exactly representable) weights in a float32 model, since
    # Sparkeras computes in float32; Keras's own output at that dtype is kept for reference.
    f32 = keras.Sequential([keras.Input((12,)), keras.layers.Dense(16, activation="relu"),
                            keras.layers.Dense(5)])
    f32.set_weights([np.asarray(keras.ops.convert_to_numpy(w.value)).astype("float32")
                     for w in m.weights])
    write_io("mlp_" + dt, x12, predict(f32, x12),
             note="outputs of a float32 Keras model with these weights; keras_at_dtype = Keras "
                  "at " + dt, keras_at_dtype=_array(np.asarray(predict(m, x12), "float32")))

# ---- bfloat16: this Keras (no ml_dtypes) cannot make bfloat16 arrays, so the file is the mlp's
# .keras with every weight rounded to bfloat16 and stored as Keras's H5IOStore stores a bfloat16
# variable (h5py: a 2-byte opaque type with an empty tag; attribute dtype="bfloat16"), and the
# layers' dtype policy set to bfloat16 in config.json.
def to_bf16_bits(a):
    u = np.asarray(a, np.float32).view(np.uint32).astype(np.uint64)
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16  # round to nearest even
    return u.astype(np.uint16)


m = mlp()
ws = [np.asarray(keras.ops.convert_to_numpy(w.value)) for w in m.weights]
bits = [to_bf16_bits(w) for w in ws]
m.set_weights([(b.astype(np.uint32) << 16).view(np.float32) for b in bits])
buf = io.BytesIO()
m.save(path("mlp_bfloat16.keras"))
with zipfile.ZipFile(path("mlp_bfloat16.keras")) as z:
    meta, cfg = z.read("metadata.json"), json.loads(z.read("config.json"))
for layer in cfg["config"]["layers"]:
    d = layer["config"].get("dtype")
    if isinstance(d, dict) and d.get("class_name") == "DTypePolicy":
        d["config"]["name"] = "bfloat16"
h5buf = io.BytesIO()
with h5py.File(h5buf, "w") as f:
    k = 0
    for group, layer in [("layers/dense", m.layers[0]), ("layers/dense_1", m.layers[2])]:
        g = f.create_group(group).create_group("vars")
        g.attrs["name"] = layer.name
        for i in range(len(layer.weights)):
            ds = g.create_dataset(str(i), data=bits[k].view("V2"))
            ds.attrs["dtype"] = "bfloat16"
            k += 1
    f.create_group("layers/dropout").create_group("vars").attrs["name"] = m.layers[1].name
    f.create_group("vars").attrs["name"] = m.name
with zipfile.ZipFile(path("mlp_bfloat16.keras"), "w") as z:
    z.writestr("metadata.json", meta)
    z.writestr("config.json", json.dumps(cfg))
    z.writestr("model.weights.h5", h5buf.getvalue())
write_io("mlp_bfloat16", x12, predict(m, x12),
         note="weights rounded to bfloat16, computed in float32 by Keras")

# ---- legacy .h5 written by Keras 3's legacy_h5_format (full model, and weights only) --------
m = cnn()
m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
          metrics=["accuracy"])
legacy_h5_format.save_model_to_hdf5(m, path("cnn_legacy.h5"))
with h5py.File(path("cnn_legacy_weights.h5"), "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, m)
write_io("cnn_legacy", ximg, predict(m, ximg))
reloaded = legacy_h5_format.load_model_from_hdf5(path("cnn_legacy.h5"))
np.testing.assert_allclose(predict(reloaded, ximg), predict(m, ximg), rtol=1e-6)

# ---- a tf.keras 2 file: laid out with h5py as tf.keras 2.15's save_model_to_hdf5 does (this
# machine has no TensorFlow), with tf.keras 2's config JSON and an LSTM whose
# recurrent_activation and a Dense whose activation are hard_sigmoid: the expected outputs are
# computed here in numpy with tf.keras 2's definitions (hard_sigmoid = clip(0.2x + 0.5, 0, 1)).
def hs2(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


r = rng(30)
T, F, U = 4, 3, 5
kernel = r.standard_normal((F, 4 * U)).astype("float32") * 0.5
rec = r.standard_normal((U, 4 * U)).astype("float32") * 0.5
bias = r.standard_normal((4 * U,)).astype("float32") * 0.5
dk = r.standard_normal((U, 2)).astype("float32") * 0.5
db = r.standard_normal((2,)).astype("float32") * 0.5
xs = r.standard_normal((3, T, F)).astype("float32")
h = np.zeros((3, U), np.float32)
c = np.zeros((3, U), np.float32)
for t in range(T):
    z = xs[:, t] @ kernel + h @ rec + bias
    i, f_, cc, o = z[:, :U], z[:, U:2 * U], z[:, 2 * U:3 * U], z[:, 3 * U:]
    c = hs2(f_) * c + hs2(i) * np.tanh(cc)
    h = hs2(o) * np.tanh(c)
y = hs2(h @ dk + db).astype("float32")


def init(cls, **cfg):
    return {"class_name": cls, "config": dict(cfg, dtype="float32")}


tf2_config = {"class_name": "Sequential", "config": {"name": "tf2_lstm", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, T, F], "dtype": "float32",
                                            "sparse": False, "ragged": False,
                                            "name": "lstm_input"}},
    {"class_name": "LSTM", "config": {
        "name": "lstm", "trainable": True, "dtype": "float32", "batch_input_shape": [None, T, F],
        "return_sequences": False, "return_state": False, "go_backwards": False,
        "stateful": False, "unroll": False, "time_major": False, "units": U,
        "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": True,
        "kernel_initializer": init("GlorotUniform", seed=None),
        "recurrent_initializer": init("Orthogonal", gain=1.0, seed=None),
        "bias_initializer": init("Zeros"), "unit_forget_bias": True,
        "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
        "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}},
    {"class_name": "Dense", "config": {
        "name": "dense", "trainable": True, "dtype": "float32", "units": 2,
        "activation": "hard_sigmoid", "use_bias": True,
        "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}]},
    "keras_version": "2.15.0", "backend": "tensorflow"}
training = {"loss": "mse", "metrics": [["mae"]], "weighted_metrics": None, "loss_weights": None,
            "optimizer_config": {"class_name": "Adam", "config": {
                "name": "Adam", "learning_rate": 0.0010000000474974513, "decay": 0.0,
                "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033, "epsilon": 1e-07,
                "amsgrad": False}}}
with h5py.File(path("tf_keras2_lstm.h5"), "w") as f:
    f.attrs["backend"] = "tensorflow"
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["model_config"] = json.dumps(tf2_config)
    f.attrs["training_config"] = json.dumps(training)
    mw = f.create_group("model_weights")
    mw.attrs["backend"] = b"tensorflow"
    mw.attrs["keras_version"] = b"2.15.0"
    mw.attrs["layer_names"] = np.array([b"lstm_input", b"lstm", b"dense"])
    mw.create_group("lstm_input").attrs["weight_names"] = np.array([], dtype="S1")
    g = mw.create_group("lstm")
    g.attrs["weight_names"] = np.array([b"lstm/lstm_cell/kernel:0",
                                        b"lstm/lstm_cell/recurrent_kernel:0",
                                        b"lstm/lstm_cell/bias:0"])
    g["lstm/lstm_cell/kernel:0"] = kernel
    g["lstm/lstm_cell/recurrent_kernel:0"] = rec
    g["lstm/lstm_cell/bias:0"] = bias
    g = mw.create_group("dense")
    g.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
    g["dense/kernel:0"] = dk
    g["dense/bias:0"] = db
write_io("tf_keras2_lstm", xs, y, note="tf.keras 2 math computed in numpy")
print("wrote", sorted(os.listdir(OUT)))
