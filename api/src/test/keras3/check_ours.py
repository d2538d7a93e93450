"""Loads the .keras files Sparkeras wrote (KerasFilesWriteTest and PreprocessingFilesTest leave
them in api/target/keras-files-ours/) in real Keras 3.10.0, predicts each case's inputs and, for the
optimizer cases, applies the case's next gradients and checks Keras continues to the same
weights as from its own file. Writes ../resources/keras3/files/ours/<name>.keras (our file, as
Keras read it) and <name>.io.json (Keras's predictions on it):

    (cd api && mvn -o -q test -Dtest=KerasFilesWriteTest)   # fails until ours/ exists: fine
    ../shared/tools/keras3/run api/src/test/keras3/check_ours.py
"""
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refs import _array  # noqa: E402

import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("OURS_IN", os.path.join(HERE, "..", "..", "..", "target", "keras-files-ours"))
FILES = os.path.join(HERE, "..", "resources", "keras3", "files")
OUT = os.path.join(FILES, "ours")
os.makedirs(OUT, exist_ok=True)


def arrays(doc, field):
    return [np.asarray(a["values"], np.float32 if a["dtype"] == "float32" else np.int32)
            .reshape(a["shape"]) for a in doc[field]]


for fname in sorted(os.listdir(SRC)):
    name = fname[:-len(".keras")]
    case = json.load(open(os.path.join(FILES, name + ".io.json")))
    model = keras.saving.load_model(os.path.join(SRC, fname))
    xs = arrays(case, "inputs")
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    for y, e in zip(ys, arrays(case, "outputs")):
        np.testing.assert_allclose(y, e, rtol=1e-5, atol=1e-6)
    if "gradients" in case:
        grads = arrays(case, "gradients")
        model.optimizer.apply_gradients(zip(grads, model.trainable_variables))
        for w, e in zip(model.weights, arrays(case, "after_step")):
            np.testing.assert_allclose(keras.ops.convert_to_numpy(w.value), e, rtol=1e-6,
                                       atol=1e-7)
        assert int(keras.ops.convert_to_numpy(model.optimizer.iterations)) == \
            case["iterations_after_step"]
    shutil.copy(os.path.join(SRC, fname), os.path.join(OUT, fname))
    with open(os.path.join(OUT, name + ".io.json"), "w") as f:
        json.dump({"name": name, "keras_version": keras.__version__,
                   "note": "Keras's predictions on the file Sparkeras wrote",
                   "inputs": case["inputs"], "outputs": [_array(y) for y in ys]}, f,
                  separators=(",", ":"))
        f.write("\n")
    print("Keras read", fname, "and predicted the same" +
          (", and continued its optimizer exactly" if "gradients" in case else ""))
