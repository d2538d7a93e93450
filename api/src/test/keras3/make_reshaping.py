"""Keras reference cases for the reshaping layers, both data formats (see refs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
from keras import layers  # noqa: E402
from refs import case, rng  # noqa: E402

CF = "channels_first"

inp = keras.Input((6, 4))
outs = [
    layers.Flatten()(inp),
    layers.Reshape((4, 6))(inp),
    layers.Reshape((-1, 3))(inp),
    layers.Permute((2, 1))(inp),
    layers.ZeroPadding1D(2)(inp),
    layers.ZeroPadding1D((1, 3))(inp),
    layers.ZeroPadding1D(1, data_format=CF)(inp),
    layers.Cropping1D((1, 2))(inp),
    layers.Cropping1D()(inp),
    layers.UpSampling1D(3)(inp),
    layers.RepeatVector(3)(layers.Flatten()(inp)),
]
case("reshaping_1d", keras.Model(inp, outs, name="reshaping_1d"),
     rng(1).standard_normal((2, 6, 4)).astype("float32"))

inp = keras.Input((4, 5, 3))
outs = [
    layers.ZeroPadding2D(((1, 2), (0, 1)))(inp),
    layers.ZeroPadding2D((1, 2), data_format=CF)(inp),
    layers.ZeroPadding2D()(inp),
    layers.Cropping2D(((1, 0), (2, 1)))(inp),
    layers.Cropping2D(1, data_format=CF)(inp),
    layers.UpSampling2D((2, 3))(inp),
    layers.UpSampling2D(2, interpolation="bilinear")(inp),
    layers.UpSampling2D((2, 3), data_format=CF, interpolation="bilinear")(inp),
    layers.UpSampling2D(2, data_format=CF)(inp),
    layers.Flatten(data_format=CF)(inp),
    layers.Permute((3, 1, 2))(inp),
]
case("reshaping_2d", keras.Model(inp, outs, name="reshaping_2d"),
     rng(2).standard_normal((2, 4, 5, 3)).astype("float32"))

inp = keras.Input((3, 4, 2, 2))
outs = [
    layers.ZeroPadding3D(1)(inp),
    layers.ZeroPadding3D(((1, 0), (0, 2), (1, 1)), data_format=CF)(inp),
    layers.Cropping3D(((1, 0), (1, 1), (0, 0)))(inp),
    layers.Cropping3D(((0, 1), (1, 0), (0, 0)), data_format=CF)(inp),
    layers.UpSampling3D((2, 1, 2))(inp),
    layers.UpSampling3D(2, data_format=CF)(inp),
]
case("reshaping_3d", keras.Model(inp, outs, name="reshaping_3d"),
     rng(3).standard_normal((2, 3, 4, 2, 2)).astype("float32"))
