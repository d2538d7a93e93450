"""Keras reference cases for Dense (see refs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
from refs import case, rng  # noqa: E402

x = rng(0).standard_normal((2, 4)).astype("float32")
case("dense_tanh", keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh")],
                                     name="dense_tanh"), x)
x3 = rng(1).standard_normal((2, 3, 4)).astype("float32")
case("dense_rank3_nobias", keras.Sequential(
    [keras.Input((3, 4)), keras.layers.Dense(2, use_bias=False, activation="sigmoid")],
    name="dense_rank3_nobias"), x3)
