"""Keras reference cases for the regularization layers (see refs.py).

regularization_inference: every layer at inference (the identity, and Keras's configs).
regularization_training: extra = statistics of each layer's training-mode output on a constant
input of ones, computed by real Keras (its random numbers differ from ours; the statistics must
not): fraction of zeros, mean, standard deviation, and for the spatial dropouts the fraction of
(sample, channel) maps that are all zero.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402
from refs import case, rng  # noqa: E402

x = rng(0).standard_normal((2, 4, 6, 3)).astype("float32")
inp = keras.Input((4, 6, 3))
outs = [
    layers.Dropout(0.3, seed=1)(inp),
    layers.Dropout(0.5, noise_shape=(None, 1, 1, 3))(inp),
    layers.SpatialDropout2D(0.4, seed=2)(inp),
    layers.SpatialDropout2D(0.4, data_format="channels_first")(inp),
    layers.SpatialDropout1D(0.2)(layers.Reshape((24, 3))(inp)),
    layers.SpatialDropout3D(0.2, data_format="channels_first")(layers.Reshape((4, 6, 3, 1))(inp)),
    layers.GaussianNoise(0.5, seed=3)(inp),
    layers.GaussianDropout(0.4)(inp),
    layers.AlphaDropout(0.2, noise_shape=(None, 4, 1, 3), seed=4)(inp),
    layers.ActivityRegularization(l1=0.1, l2=0.2)(inp),
]
case("regularization_inference", keras.Model(inp, outs, name="regularization_inference"), x)

ones = np.ones((256, 8, 8, 16), dtype="float32")
STATS = {
    "dropout": layers.Dropout(0.3, seed=1),
    "dropout_noise_shape": layers.Dropout(0.5, noise_shape=(None, 1, 1, 16), seed=1),
    "spatial_dropout2d": layers.SpatialDropout2D(0.4, seed=2),
    "spatial_dropout2d_cf": layers.SpatialDropout2D(0.4, data_format="channels_first", seed=2),
    "gaussian_noise": layers.GaussianNoise(0.5, seed=3),
    "gaussian_dropout": layers.GaussianDropout(0.4, seed=3),
    "alpha_dropout": layers.AlphaDropout(0.2, seed=4),
}


def stats(_):
    out = {}
    for name, layer in STATS.items():
        y = keras.ops.convert_to_numpy(layer(ones, training=True)).astype("float64")
        s = {"zeros": float(np.mean(y == 0)), "mean": float(y.mean()), "std": float(y.std())}
        if name.startswith("spatial"):
            axes = (1, 2) if name.endswith("cf") else (1, 2)
            maps = y.reshape(256, 8, 8, 16) if not name.endswith("cf") else y
            dropped = (np.abs(maps).sum(axis=(2, 3)) == 0) if name.endswith("cf") \
                else (np.abs(maps).sum(axis=axes) == 0)
            s["maps_dropped"] = float(dropped.mean())
        out[name] = s
    return out


case("regularization_training", keras.Sequential([keras.Input((3,)), layers.Dropout(0.5)],
                                                 name="regularization_training"),
     np.ones((1, 3), "float32"), extra=stats, save=False)
