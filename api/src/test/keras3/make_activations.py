"""Keras reference cases for keras.activations and the activation layers (see refs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.activations import ALL_OBJECTS_DICT  # noqa: E402
from refs import case, rng  # noqa: E402

# values spread over [-5, 5] with the kinks of the piecewise functions (0, +-0.5, +-1, +-3) in it
x = rng(0).uniform(-5, 5, (3, 4, 8)).astype("float32")
x[0, 0, :] = [-3, -1, -0.5, 0, 0.5, 1, 3, 6]

# every name keras.activations.get accepts, except "threshold" (it needs two more arguments)
NAMES = sorted(n for n in ALL_OBJECTS_DICT if n != "threshold")
inp = keras.Input((4, 8))
outs = [layers.Activation(n, name="act_" + n)(inp) for n in NAMES]
case("activations_by_name", keras.Model(inp, outs, name="activations_by_name"), x,
     note="one output per name: " + ",".join(NAMES))

inp = keras.Input((4, 8))
outs = [
    layers.ReLU(name="relu_default")(inp),
    layers.ReLU(max_value=6.0, name="relu_max6")(inp),
    layers.ReLU(max_value=2.5, name="relu_max")(inp),
    layers.ReLU(threshold=1.0, name="relu_threshold")(inp),
    layers.ReLU(negative_slope=0.2, name="relu_slope")(inp),
    layers.ReLU(max_value=4.0, negative_slope=0.1, threshold=0.5, name="relu_all")(inp),
    layers.ReLU(max_value=6.0, negative_slope=0.1, name="relu_slope_max6")(inp),
    layers.LeakyReLU(name="leaky_default")(inp),
    layers.LeakyReLU(negative_slope=0.05, name="leaky_005")(inp),
    layers.ELU(name="elu_default")(inp),
    layers.ELU(alpha=0.5, name="elu_05")(inp),
    layers.Softmax(name="softmax_last")(inp),
    layers.Softmax(axis=1, name="softmax_axis1")(inp),
    layers.Softmax(axis=(1, 2), name="softmax_axes")(inp),
    layers.PReLU(name="prelu")(inp),
    layers.PReLU(shared_axes=[1], name="prelu_shared")(inp),
]
case("activation_layers", keras.Model(inp, outs, name="activation_layers"), x)

mask = rng(1).random((3, 4, 8)) > 0.4
mask[0, 1, :] = False  # a fully masked row gives zeros
xin = keras.Input((4, 8))
min_ = keras.Input((4, 8), dtype="bool")
case("softmax_mask", keras.Model([xin, min_], layers.Softmax()(xin, mask=min_),
                                 name="softmax_mask"), [x, mask])

case("dense_gelu", keras.Sequential([keras.Input((8,)), layers.Dense(5, activation="gelu")],
                                    name="dense_gelu"), x[:, 0, :])
