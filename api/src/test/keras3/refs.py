"""Writes Keras reference cases for the api module's tests (run with real Keras 3.10.0).

Each case is one model built and run by real Keras; it writes two files into
../resources/keras3/layers/ (or $REF_OUT):

  <name>.json   {"name", "keras_version", "note", "model": model.to_json() parsed,
                 "weights": [{"path", "shape", "values"}] in model.weights order,
                 "inputs": [{"shape", "dtype", "values"}], "outputs": [{"shape", "values"}],
                 "extra": {...} when the script asks for more (see case())}
                 values are flat, C order; float32 values written exactly (repr of the float32)
  <name>.keras  model.save() of the same model (for the file-format tests)

The Java side is io.sparkeras.api.saving.KerasReference (src/test). Scripts that make cases:

    ../shared/tools/keras3/run api/src/test/keras3/make_<group>.py

    import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from refs import case, rng
    x = rng(0).standard_normal((2, 5, 3)).astype("float32")
    case("conv1d_same", keras.Sequential([keras.Input((5, 3)), keras.layers.Conv1D(4, 3, padding="same")]), x)
"""
import json
import os

import numpy as np

import keras

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("REF_OUT", os.path.join(HERE, "..", "resources", "keras3", "layers"))


def rng(seed):
    return np.random.default_rng(seed)


def _flat(a):
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return [int(v) for v in a.reshape(-1)]
    return [float(np.float32(v)) for v in a.astype(np.float32).reshape(-1)]


def _array(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": "int" if a.dtype.kind in "iub" else "float32",
            "values": _flat(a)}


def randomize_weights(model, seed=7, scale=0.5):
    """Replaces every weight with seeded random values (so zero-initialised biases, moving
    statistics and the like are exercised too); variances stay positive."""
    r = rng(seed)
    for w in model.weights:
        v = r.standard_normal(tuple(w.shape)).astype("float32") * scale
        if "variance" in w.path:
            v = np.abs(v) + 0.5
        w.assign(v)


def case(name, model, inputs, note="", randomize=True, save=True, extra=None):
    """Runs `model` on `inputs` (an array or a list) and writes the reference files.

    `extra` is a function of the (randomized) model returning a JSON-able dict of further
    expected values (losses, weights after an optimizer step, ...), stored under "extra"."""
    if randomize:
        randomize_weights(model)
    xs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    doc = {
        "name": name,
        "keras_version": keras.__version__,
        "note": note,
        "model": json.loads(model.to_json()),
        "weights": [dict(path=w.path, **_array(keras.ops.convert_to_numpy(w.value)))
                    for w in model.weights],
        "inputs": [_array(x) for x in xs],
        "outputs": [_array(y) for y in ys],
    }
    if extra is not None:
        doc["extra"] = extra(model)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    if save:
        model.save(os.path.join(OUT, name + ".keras"))
    return doc
