"""Keras reference for sample weights on a per-step (sequence) output.

A model whose output is [batch, time, classes] (a Dense softmax applied at every step) is
compiled with sparse categorical cross-entropy and evaluated by real Keras 3.10.0 with one
weight per sample, "the total loss for each sample rescaled" as Keras's Loss documents, in one
batch and in batches of 4 (a partial last batch). Keras 3.10's reduce_weighted_values fails to
broadcast [batch, time] losses by [batch] weights, so Keras is given the same weights as
per-step weights ([batch, time], each sample's weight at each of its steps). Writes
../resources/keras3/layers/compile_weighted_sequence_evaluate.json: the model (to_json), its
weights, the inputs, the per-step targets, the sample weights (per sample, and as Keras was given them, per step)
and Keras's evaluate logs.

    ../shared/tools/keras3/run api/src/test/keras3/make_weighted_sequence_evaluate.py
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

x_in = keras.Input((3, 2), name="steps")
y_out = keras.layers.Dense(4, activation="softmax", name="per_step")(x_in)
model = keras.Model(x_in, y_out, name="per_step_classifier")
r = rng(11)
model.set_weights([r.standard_normal(w.shape).astype("float32") * 0.8 for w in model.weights])

n = 10
x = r.standard_normal((n, 3, 2)).astype("float32")
y = r.integers(0, 4, size=(n, 3)).astype("float32")
w_sample = r.uniform(0.2, 3.0, size=(n,)).astype("float32")
w = np.repeat(w_sample[:, None], 3, axis=1)

model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
logs = {}
for batch in (n, 4):
    res = model.evaluate(x, y, sample_weight=w, batch_size=batch, return_dict=True, verbose=0)
    logs[str(batch)] = {k: float(v) for k, v in res.items()}
unweighted = model.evaluate(x, y, batch_size=n, return_dict=True, verbose=0)

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "compile_weighted_sequence_evaluate.json"), "w") as f:
    json.dump({
        "keras_version": keras.__version__,
        "note": "written by make_weighted_sequence_evaluate.py",
        "model": json.loads(model.to_json()),
        "weights": [{"path": v.path, "shape": list(v.shape), "values": _flat(v.numpy())}
                    for v in model.weights],
        "x": [{"shape": [n, 3, 2], "values": _flat(x)}],
        "y": [{"shape": [n, 3], "values": _flat(y)}],
        "sample_weight": _flat(w_sample),
        "per_step_sample_weight": _flat(w),
        "logs_by_batch_size": logs,
        "unweighted_logs": {k: float(v) for k, v in unweighted.items()},
    }, f, indent=1)
print(json.dumps(logs, indent=1))
print(json.dumps({k: float(v) for k, v in unweighted.items()}))
