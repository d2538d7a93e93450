"""Keras reference cases for the preprocessing layers (run with real Keras 3.10.0, numpy backend):

    ../shared/tools/keras3/run api/src/test/keras3/make_preprocessing.py

Writes ../resources/keras3/preprocessing/cases.json (or $REF_OUT/cases.json): a list of cases
{"name", "class_name", "config" (layer.get_config()), "adapt" (data given to adapt, or null),
 "state" (what adapt learned), "inputs", "outputs", "transformation" (the random draws of an
 augmentation layer, per image)}. Arrays are {"shape", "dtype", "values"} as refs.py writes them.

What runs here without TensorFlow: Normalization (adapt), CategoryEncoding, Rescaling, Resizing,
CenterCrop, Discretization (call; adapt through Keras's own update_state/finalize_state, the
numpy summary code) and the random image layers (get_random_transformation + transform_images).
The TensorFlow-only layers (StringLookup, IntegerLookup, Hashing, HashedCrossing,
TextVectorization) are checked in Java against Keras's docstring examples and the algorithm.
"""
import json
import os

import numpy as np

import keras
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("REF_OUT", os.path.join(HERE, "..", "resources", "keras3", "preprocessing"))


def arr(a):
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return {"shape": list(a.shape), "dtype": "int", "values": [int(v) for v in a.reshape(-1)]}
    return {"shape": list(a.shape), "dtype": "float32",
            "values": [float(np.float32(v)) for v in a.astype(np.float32).reshape(-1)]}


def plain(x):
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if hasattr(x, "shape") and not isinstance(x, (int, float)):
        return arr(keras.ops.convert_to_numpy(x))
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return x


CASES = []


def case(name, layer, inputs, adapt=None, state=None, transformation=None, outputs=None,
         training=False):
    if outputs is None:
        outputs = layer(inputs, training=training) if training else layer(inputs)
    CASES.append({
        "name": name,
        "class_name": layer.__class__.__name__,
        "config": json.loads(json.dumps(layer.get_config(), default=plain)),
        "adapt": None if adapt is None else arr(adapt),
        "state": plain(state),
        "inputs": [arr(inputs)],
        "outputs": [arr(keras.ops.convert_to_numpy(outputs))],
        "transformation": plain(transformation),
    })


rng = np.random.default_rng(0)

# ---- Normalization ------------------------------------------------------------------------
x = (rng.standard_normal((50, 3)) * [1.0, 10.0, 0.01] + [0.0, 100.0, -3.0]).astype("float32")
n = layers.Normalization()
n.adapt(x)
case("normalization_adapt", n, x[:6], adapt=x,
     state={"mean": n.adapt_mean.numpy() if hasattr(n.adapt_mean, "numpy") else n.adapt_mean,
            "variance": n.adapt_variance})
n = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 0.25])
case("normalization_given", n, np.array([[3.0, 2.5], [-1.0, 0.0]], "float32"))
n = layers.Normalization(mean=2.0, variance=9.0, invert=True)
case("normalization_invert", n, np.array([[1.0], [-0.5]], "float32"))
img = rng.uniform(0, 1, (4, 3, 3, 2)).astype("float32")
n = layers.Normalization(axis=None)
n.adapt(img)
case("normalization_axis_none", n, img[:2], adapt=img,
     state={"mean": n.adapt_mean, "variance": n.adapt_variance})

# ---- CategoryEncoding, Rescaling -------------------------------------------------------------
ints = np.array([[3], [2], [0], [1]])
case("category_one_hot", layers.CategoryEncoding(num_tokens=4, output_mode="one_hot"), ints)
pairs = np.array([[0, 1], [0, 0], [1, 2], [3, 1]])
case("category_multi_hot", layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot"), pairs)
case("category_count", layers.CategoryEncoding(num_tokens=4, output_mode="count"), pairs)
case("rescaling", layers.Rescaling(scale=1.0 / 255, offset=-0.5),
     rng.integers(0, 256, (2, 2, 2, 3)).astype("float32"))
case("rescaling_per_channel", layers.Rescaling(scale=[0.5, 2.0, 1.0], offset=[0.0, 1.0, -1.0]),
     rng.standard_normal((2, 2, 3)).astype("float32"))

# ---- Discretization ---------------------------------------------------------------------------
d = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], "float32")
case("discretization_boundaries", layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0]), d)
case("discretization_one_hot", layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0],
                                                     output_mode="one_hot"), d[:, :1])
skew = np.exp(rng.standard_normal((3000, 1))).astype("float32")
for bins, eps in [(4, 0.01), (16, 0.01), (3, 0.05)]:
    layer = layers.Discretization(num_bins=bins, epsilon=eps)
    layer.update_state(skew)      # what adapt(array) runs, without its tf.data check
    layer.finalize_state()
    case("discretization_adapt_%d" % bins, layer, skew[:20], adapt=skew,
         state={"bin_boundaries": layer.bin_boundaries})
# Keras's adapt over a batched dataset merges one summary per batch: three batches here
layer = layers.Discretization(num_bins=8, epsilon=0.01)
for b in range(3):
    layer.update_state(skew[b * 1000:(b + 1) * 1000])
layer.finalize_state()
case("discretization_adapt_batches", layer, skew[:20], adapt=skew,
     state={"bin_boundaries": layer.bin_boundaries, "batches": 3})

# ---- image layers ------------------------------------------------------------------------------
images = rng.uniform(0, 255, (2, 7, 9, 3)).astype("float32")
for interp in ["bilinear", "nearest", "bicubic", "lanczos3"]:
    case("resizing_" + interp, layers.Resizing(4, 5, interpolation=interp), images)
case("resizing_up", layers.Resizing(10, 12), images)
case("resizing_antialias", layers.Resizing(3, 4, antialias=True), images)
case("resizing_crop_aspect", layers.Resizing(4, 4, crop_to_aspect_ratio=True), images)
case("resizing_pad_aspect", layers.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=7.0),
     images)
case("center_crop", layers.CenterCrop(5, 4), images)
case("center_crop_smart_resize", layers.CenterCrop(8, 4), images)


def random_case(name, layer, images, keys):
    t = layer.get_random_transformation(images, training=True, seed=None)
    # a copy: RandomBrightness adds its delta to the numpy array in place
    y = layer.transform_images(images.copy(), t, training=True)
    case(name, layer, images, transformation={k: t[k] for k in keys} if keys else t,
         outputs=y)
    case(name + "_inference", layer, images, outputs=layer(images, training=False))


random_case("random_flip", layers.RandomFlip(seed=1), images, ["flips"])
random_case("random_flip_horizontal", layers.RandomFlip("horizontal", seed=2), images, ["flips"])
for fill in ["reflect", "wrap", "nearest", "constant"]:
    random_case("random_rotation_" + fill,
                layers.RandomRotation(0.2, fill_mode=fill, fill_value=3.0, seed=3), images,
                ["angle", "rotation_matrix"])
random_case("random_rotation_nearest_interp",
            layers.RandomRotation(0.3, interpolation="nearest", seed=4), images,
            ["angle", "rotation_matrix"])
random_case("random_zoom", layers.RandomZoom(0.3, seed=5), images,
            ["height_zoom", "width_zoom"])
random_case("random_zoom_wh", layers.RandomZoom((-0.4, -0.1), (0.1, 0.3), fill_mode="constant",
                                                seed=6), images, ["height_zoom", "width_zoom"])
random_case("random_translation", layers.RandomTranslation(0.2, (-0.3, 0.1), seed=7), images,
            ["translations"])
random_case("random_contrast", layers.RandomContrast(0.5, seed=8), images, ["contrast_factor"])
random_case("random_brightness", layers.RandomBrightness(0.3, seed=9), images, ["rgb_delta"])
crop = layers.RandomCrop(4, 5, seed=10)
t = crop.get_random_transformation(images, training=True)
case("random_crop", crop, images, transformation={"h_start": int(t[0]), "w_start": int(t[1])},
     outputs=crop.transform_images(images.copy(), t, training=True))
case("random_crop_inference", crop, images, outputs=crop(images, training=False),
     transformation={"note": "Keras 3.10 returns the image uncropped at inference"})

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": CASES}, f, separators=(",", ":"))
    f.write("\n")
print(len(CASES), "cases written to", OUT)
