"""Keras reference cases for the pooling layers, channels_last and channels_first (see refs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
from keras import layers  # noqa: E402
from refs import case, rng  # noqa: E402


def pools(rank, fmt):
    if rank == 1:
        return [
            layers.MaxPooling1D(3, strides=2, data_format=fmt),
            layers.MaxPooling1D(2, padding="same", data_format=fmt),
            layers.AveragePooling1D(3, strides=2, padding="same", data_format=fmt),
            layers.AveragePooling1D(2, data_format=fmt),
            layers.GlobalMaxPooling1D(data_format=fmt),
            layers.GlobalAveragePooling1D(data_format=fmt, keepdims=True),
        ]
    if rank == 2:
        return [
            layers.MaxPooling2D((2, 3), strides=(1, 2), padding="same", data_format=fmt),
            layers.AveragePooling2D(3, strides=2, padding="same", data_format=fmt),
            layers.MaxPooling2D(data_format=fmt),
            layers.AveragePooling2D((2, 1), data_format=fmt),
            layers.GlobalMaxPooling2D(data_format=fmt, keepdims=True),
            layers.GlobalAveragePooling2D(data_format=fmt),
        ]
    return [
        layers.MaxPooling3D(data_format=fmt),
        layers.MaxPooling3D((2, 2, 1), strides=1, padding="same", data_format=fmt),
        layers.AveragePooling3D((3, 2, 2), strides=(2, 1, 2), padding="same", data_format=fmt),
        layers.AveragePooling3D(2, data_format=fmt),
        layers.GlobalMaxPooling3D(data_format=fmt),
        layers.GlobalAveragePooling3D(data_format=fmt, keepdims=True),
    ]


SHAPES = {1: (9, 4), 2: (7, 6, 3), 3: (5, 4, 6, 2)}
for rank, shape in SHAPES.items():
    for fmt in ("channels_last", "channels_first"):
        s = shape if fmt == "channels_last" else (shape[-1],) + shape[:-1]
        inp = keras.Input(s)
        name = "pooling_%dd%s" % (rank, "" if fmt == "channels_last" else "_cf")
        model = keras.Model(inp, [p(inp) for p in pools(rank, fmt)], name=name)
        case(name, model, rng(rank).standard_normal((2,) + s).astype("float32"))
