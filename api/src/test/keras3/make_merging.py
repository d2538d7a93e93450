"""Keras reference cases for the merging layers (see refs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
from keras import layers  # noqa: E402
from refs import case, rng  # noqa: E402

a = keras.Input((3, 4), name="a")
b = keras.Input((3, 4), name="b")
c = keras.Input((1, 4), name="c")
d = keras.Input((4,), name="d")
outs = [
    layers.Add()([a, b, c]),
    layers.Subtract()([a, b]),
    layers.Subtract()([a, d]),
    layers.Multiply()([a, b, c]),
    layers.Average()([a, b, c]),
    layers.Maximum()([a, b]),
    layers.Minimum()([a, c, b]),
    layers.Concatenate(axis=1)([a, b, c]),
    layers.Concatenate()([a, b]),
    layers.Dot(axes=2)([a, b]),
    layers.Dot(axes=(1, 1))([a, b]),
    layers.Dot(axes=(2, 1), normalize=True)([a, layers.Permute((2, 1))(b)]),
    layers.Dot(axes=-1, normalize=True)([d, layers.Flatten()(c)]),
    layers.Dot(axes=1)([d, layers.Permute((2, 1))(a)]),
]
r = rng(5)
xs = [r.standard_normal((2,) + s).astype("float32") for s in [(3, 4), (3, 4), (1, 4), (4,)]]
case("merging", keras.Model([a, b, c, d], outs, name="merging"), xs)
