"""Keras reference cases for the normalization layers (see refs.py).

normalization: every layer at inference.
normalization_training: extra = the outputs of one training-mode call (batch statistics,
SpectralNormalization's power iteration) and every weight after it (moving statistics, the
normalised kernel, vector_u), from real Keras.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
from keras import layers  # noqa: E402
from refs import _array, case, rng  # noqa: E402

inp = keras.Input((4, 3, 6))
outs = [
    layers.BatchNormalization()(inp),
    layers.BatchNormalization(axis=1, center=False, epsilon=1e-2)(inp),
    layers.LayerNormalization(axis=[1, 2])(inp),
    layers.LayerNormalization(rms_scaling=True)(inp),
    layers.LayerNormalization(scale=False, epsilon=1e-5)(inp),
    layers.GroupNormalization(groups=3)(inp),
    layers.GroupNormalization(groups=-1, scale=False)(inp),
    layers.GroupNormalization(groups=2, axis=1)(inp),
    layers.GroupNormalization(groups=1, axis=2, center=False)(inp),
    layers.UnitNormalization()(inp),
    layers.UnitNormalization(axis=[2, 3])(inp),
    layers.RMSNormalization()(inp),
    layers.RMSNormalization(axis=[2, 3], epsilon=1e-3)(inp),
    layers.SpectralNormalization(layers.Dense(5))(inp),
    layers.SpectralNormalization(layers.Conv2D(4, 2), power_iterations=3)(inp),
]
x = (rng(0).standard_normal((3, 4, 3, 6)) * 2 + 0.5).astype("float32")
case("normalization", keras.Model(inp, outs, name="normalization"), x)

inp = keras.Input((4, 6))
outs = [
    layers.BatchNormalization(momentum=0.8)(inp),
    layers.BatchNormalization(axis=1, scale=False)(inp),
    layers.SpectralNormalization(layers.Dense(3))(inp),
    layers.SpectralNormalization(layers.Dense(5), power_iterations=2)(inp),
]
x = (rng(1).standard_normal((5, 4, 6)) * 1.5 - 0.3).astype("float32")


def training(m):
    ys = m(x, training=True)
    return {"outputs": [_array(keras.ops.convert_to_numpy(y)) for y in ys],
            "weights": [_array(keras.ops.convert_to_numpy(w.value)) for w in m.weights]}


case("normalization_training", keras.Model(inp, outs, name="normalization_training"), x,
     extra=training, save=False)
