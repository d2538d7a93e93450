"""Writes the .keras files with preprocessing layers that the api module's tests read (run with
real Keras 3.10.0, numpy backend):

    ../shared/tools/keras3/run api/src/test/keras3/make_preprocessing_files.py

Into ../resources/keras3/files/ (or $FILES_OUT):
  preprocessing_mlp.keras     Input(3) -> Normalization (adapted on `adapt_data`) ->
                              Rescaling -> Dense(4, relu) -> Dense(2, softmax), saved by Keras
  preprocessing_mlp.io.json   {"inputs", "outputs" (Keras's predictions), "adapt_data",
                              "mean", "variance"} (refs.py's array format)
  category_mlp.keras          Input(1, int32) -> CategoryEncoding(5, one_hot) -> Dense(3),
                              saved by Keras
  category_mlp.io.json        inputs and Keras's predictions

Keras 3 needs TensorFlow for StringLookup/IntegerLookup/Hashing/TextVectorization, which this
tool cannot run: files with those layers are not made here (their state layout is checked in
the Java tests against Keras's source: vocabulary.txt under assets/, idf_weights in vars).
"""
import json
import os
import sys
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refs import _array, rng  # noqa: E402

import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("FILES_OUT", os.path.join(HERE, "..", "resources", "keras3", "files"))
os.makedirs(OUT, exist_ok=True)


def randomize_dense(model, seed):
    """Seeded random kernels and biases for the Dense layers only: assigning a Normalization's
    variables would bypass the state its adapt() finalised (Keras keeps mean/variance apart)."""
    r = rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            for w in layer.weights:
                w.assign(r.standard_normal(tuple(w.shape)).astype("float32") * 0.5)


def write_io(name, xs, ys, **extra):
    doc = {"name": name, "keras_version": keras.__version__,
           "inputs": [_array(x) for x in xs], "outputs": [_array(y) for y in ys]}
    doc.update(extra)
    with open(os.path.join(OUT, name + ".io.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def preprocessing_mlp():
    rng = np.random.default_rng(11)
    adapt_data = (rng.normal(size=(40, 3)) * [1.0, 5.0, 0.2] + [3.0, -2.0, 10.0]).astype("float32")
    norm = keras.layers.Normalization(name="norm")
    norm.adapt(adapt_data)
    inp = keras.Input((3,), name="x")
    h = norm(inp)
    h = keras.layers.Rescaling(0.5, offset=0.25, name="rescale")(h)
    h = keras.layers.Dense(4, activation="relu", name="hidden")(h)
    out = keras.layers.Dense(2, activation="softmax", name="out")(h)
    m = keras.Model(inp, out, name="preprocessing_mlp")
    randomize_dense(m, seed=7)
    x = (rng.normal(size=(6, 3)) * [1.0, 5.0, 0.2] + [3.0, -2.0, 10.0]).astype("float32")
    path = os.path.join(OUT, "preprocessing_mlp.keras")
    m.save(path)
    back = keras.saving.load_model(path)
    y = back.predict(x, verbose=0)
    np.testing.assert_allclose(y, m.predict(x, verbose=0), rtol=1e-6)
    write_io("preprocessing_mlp", [x], [y], adapt_data=[_array(adapt_data)],
             mean=[_array(np.asarray(norm.mean))],
             variance=[_array(np.asarray(norm.variance))])
    with zipfile.ZipFile(path) as z:
        print("preprocessing_mlp.keras:", z.namelist())


def category_mlp():
    inp = keras.Input((1,), dtype="int32", name="code")
    h = keras.layers.CategoryEncoding(5, output_mode="one_hot", name="onehot")(inp)
    out = keras.layers.Dense(3, name="out")(h)
    m = keras.Model(inp, out, name="category_mlp")
    randomize_dense(m, seed=8)
    x = np.array([[0], [3], [4], [1], [2]], dtype="int32")
    path = os.path.join(OUT, "category_mlp.keras")
    m.save(path)
    y = keras.saving.load_model(path).predict(x, verbose=0)
    write_io("category_mlp", [x], [y])


if __name__ == "__main__":
    preprocessing_mlp()
    category_mlp()
