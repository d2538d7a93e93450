"""Keras reference for sample weights, loss weights, per-output losses and weighted metrics.

A functional model with two inputs and two outputs ("cls": softmax over 3 classes, "reg": one
linear unit) is compiled with a loss per output (by name), loss weights, metrics per output and
weighted metrics, then evaluated by real Keras 3.10.0 on fixed data with sample weights, in one
batch and in batches of 4 (a partial last batch). Writes ../resources/keras3/layers/
compile_weighted_evaluate.json: the model (to_json), its weights in model.weights order, the inputs,
the targets, the sample weights, the compile settings and Keras's evaluate logs.

    ../shared/tools/keras3/run api/src/test/keras3/make_weighted_evaluate.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import keras  # noqa: E402
from refs import _flat, rng  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "keras3", "layers")

a = keras.Input((4,), name="a")
b = keras.Input((2,), name="b")
h = keras.layers.Dense(5, activation="tanh", name="hidden")(keras.layers.Concatenate(name="joined")([a, b]))
cls = keras.layers.Dense(3, activation="softmax", name="cls")(h)
reg = keras.layers.Dense(1, name="reg")(h)
model = keras.Model([a, b], [cls, reg], name="two_heads")
r = rng(7)
model.set_weights([r.standard_normal(w.shape).astype("float32") * 0.7 for w in model.weights])

n = 10
xa = r.standard_normal((n, 4)).astype("float32")
xb = r.standard_normal((n, 2)).astype("float32")
y_cls = r.integers(0, 3, size=(n,)).astype("float32")
y_reg = r.standard_normal((n, 1)).astype("float32")
w = r.uniform(0.2, 3.0, size=(n,)).astype("float32")

model.compile(
    optimizer="sgd",
    loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
    loss_weights={"cls": 1.0, "reg": 0.5},
    metrics={"cls": ["accuracy"], "reg": ["mae"]},
    weighted_metrics={"cls": ["accuracy"]},
)
logs = {}
for batch in (n, 4):
    res = model.evaluate([xa, xb], [y_cls, y_reg], sample_weight=w,
                         batch_size=batch, return_dict=True, verbose=0)
    logs[str(batch)] = {k: float(v) for k, v in res.items()}
unweighted = model.evaluate([xa, xb], [y_cls, y_reg], batch_size=n,
                            return_dict=True, verbose=0)

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "compile_weighted_evaluate.json"), "w") as f:
    json.dump({
        "keras_version": keras.__version__,
        "note": "written by make_weighted_evaluate.py",
        "model": json.loads(model.to_json()),
        "weights": [{"path": v.path, "shape": list(v.shape), "values": _flat(v.numpy())}
                    for v in model.weights],
        "x": [{"shape": [n, 4], "values": _flat(xa)}, {"shape": [n, 2], "values": _flat(xb)}],
        "y": [{"shape": [n], "values": _flat(y_cls)}, {"shape": [n, 1], "values": _flat(y_reg)}],
        "sample_weight": _flat(w),
        "logs_by_batch_size": logs,
        "unweighted_logs": {k: float(v) for k, v in unweighted.items()},
    }, f, indent=1)
print(json.dumps(logs, indent=1))
print(json.dumps({k: float(v) for k, v in unweighted.items()}))
