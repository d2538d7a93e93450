"""Loads every layer case's .keras file as Sparkeras saved it (KerasLayerFilesTest leaves them in
api/target/keras-layers-ours/) in real Keras 3.10.0, and Keras's own file of the case beside it,
and checks Keras predicts the same from both (1e-6 relative: the same model and weights). Where
Keras's predictions from its own file are the case's outputs (the .json beside the case) it says
so too; where they are not, the line says that (the numpy backend drops the masks a functional
graph carries, which the masked cases' outputs were made with; Keras's own
conv1d_transpose_output_padding.keras lost output_padding). Prints one line per case and a
summary; exits non-zero if any file of ours loads or predicts differently:

    (cd api && mvn -o -q test -Dtest=KerasLayerFilesTest)
    ../shared/tools/keras3/run api/src/test/keras3/check_ours_layers.py

The result is quoted in docs/keras-files.md.
"""
import json
import os
import sys

import numpy as np

import keras

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.environ.get("OURS_IN", os.path.join(HERE, "..", "..", "..", "target",
                                              "keras-layers-ours"))
CASES = os.path.join(HERE, "..", "resources", "keras3", "layers")


def arrays(doc, field):
    return [np.asarray(a["values"], np.float32 if a["dtype"] == "float32" else np.int32)
            .reshape(a["shape"]) for a in doc[field]]


def predict(path, xs):
    """Keras's outputs from the file, or the exception it raised."""
    try:
        model = keras.saving.load_model(path)
        ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        return [np.asarray(y, np.float32) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
    except Exception as e:  # noqa: BLE001 - compared with what Keras's own file gives
        return e


def error(got, expected):
    if len(got) != len(expected) or any(g.shape != e.shape for g, e in zip(got, expected)):
        return float("inf")
    return max(float(np.max(np.abs(g - e) / np.maximum(1.0, np.abs(e)), initial=0.0))
               for g, e in zip(got, expected))


failed = []
same_as_case = 0
names = sorted(f[:-len(".keras")] for f in os.listdir(OURS) if f.endswith(".keras"))
for name in names:
    case = json.load(open(os.path.join(CASES, name + ".json")))
    xs = arrays(case, "inputs")
    ours = predict(os.path.join(OURS, name + ".keras"), xs)
    theirs = predict(os.path.join(CASES, name + ".keras"), xs)
    if isinstance(theirs, Exception):
        if isinstance(ours, Exception) and type(ours) is type(theirs):
            print("same", name, "- Keras fails on its own file too:", type(theirs).__name__)
        else:
            failed.append(name)
            print("FAILED", name, "- Keras's own file fails, ours gives", type(ours).__name__)
        continue
    if isinstance(ours, Exception):
        failed.append(name)
        print("FAILED", name, type(ours).__name__, str(ours).splitlines()[0])
        continue
    err = error(ours, theirs)
    if err > 1e-6:
        failed.append(name)
        print("FAILED", name, f"predictions differ from Keras's on its own file ({err:.2e})")
        continue
    to_case = error(theirs, [np.asarray(o["values"], np.float32).reshape(o["shape"])
                             for o in case["outputs"]])
    same_as_case += to_case <= 1e-5
    print("ok", name, "" if to_case <= 1e-5 else
          f"(Keras predicts other values than the case from either file, {to_case:.2e})")

print(f"{len(names) - len(failed)} of {len(names)} files Sparkeras wrote load in Keras "
      f"{keras.__version__} and predict what Keras's own files predict ({same_as_case} of them "
      f"the cases' outputs)")
sys.exit(1 if failed else 0)
