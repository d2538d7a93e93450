"""Keras reference cases for the convolution layers (see refs.py): Conv1D/2D/3D,
Conv1D/2D/3DTranspose, DepthwiseConv1D/2D and SeparableConv1D/2D, with padding valid, same and
causal, strides, dilation, groups, depth multipliers, output_padding and both data formats.

Conv*Transpose with output_padding: Keras 3's get_config leaves output_padding out (so its own
.keras file loses it); the case's JSON gets it put back into the layer config, which is what
the Java side then rebuilds."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
from keras import layers  # noqa: E402
from refs import OUT, case, rng  # noqa: E402


def seq(name, shape, layer):
    return keras.Sequential([keras.Input(shape), layer], name=name)


def run(name, shape, layer, seed, note=""):
    x = rng(seed).standard_normal((2,) + shape).astype("float32")
    return case(name, seq(name, shape, layer), x, note=note)


def put_back_output_padding(name, value):
    path = os.path.join(OUT, name + ".json")
    with open(path) as f:
        doc = json.load(f)
    doc["model"]["config"]["layers"][-1]["config"]["output_padding"] = value
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


# Conv1D / Conv2D / Conv3D
run("conv1d_valid", (7, 3), layers.Conv1D(4, 3, activation="relu"), 1)
run("conv1d_same_strided", (8, 3), layers.Conv1D(5, 4, strides=2, padding="same"), 2)
run("conv1d_causal_dilated", (9, 2), layers.Conv1D(3, 3, padding="causal", dilation_rate=2), 3)
run("conv1d_channels_first_groups", (4, 7),
    layers.Conv1D(6, 3, groups=2, data_format="channels_first", use_bias=False), 4)
run("conv2d_same_strided_rect", (7, 6, 3), layers.Conv2D(4, (3, 2), strides=2, padding="same",
                                                         activation="tanh"), 5)
run("conv2d_dilated", (9, 8, 2), layers.Conv2D(3, 3, dilation_rate=(2, 1)), 6)
run("conv2d_channels_first_groups", (4, 6, 5),
    layers.Conv2D(6, 3, padding="same", groups=2, data_format="channels_first"), 7)
run("conv3d_valid", (5, 4, 6, 2), layers.Conv3D(3, (2, 3, 2)), 8)
run("conv3d_channels_first_same_strided", (2, 5, 4, 6),
    layers.Conv3D(4, 3, strides=2, padding="same", data_format="channels_first"), 9)

# Conv*Transpose
run("conv1d_transpose_valid_strided", (5, 3), layers.Conv1DTranspose(4, 3, strides=2), 10)
run("conv1d_transpose_same", (6, 2), layers.Conv1DTranspose(3, 4, padding="same",
                                                            activation="relu"), 11)
run("conv1d_transpose_output_padding", (5, 2),
    layers.Conv1DTranspose(3, 3, strides=2, output_padding=1), 12,
    note="output_padding put back into the JSON config (Keras's get_config drops it)")
put_back_output_padding("conv1d_transpose_output_padding", [1])
run("conv2d_transpose_same_strided", (4, 5, 3),
    layers.Conv2DTranspose(4, 3, strides=2, padding="same"), 13)
run("conv2d_transpose_valid_strided_rect", (4, 3, 2),
    layers.Conv2DTranspose(3, (3, 2), strides=(2, 3)), 14)
run("conv2d_transpose_dilated", (5, 4, 2),
    layers.Conv2DTranspose(2, 3, dilation_rate=2, padding="same"), 15)
run("conv2d_transpose_channels_first", (3, 4, 5),
    layers.Conv2DTranspose(2, 2, strides=2, data_format="channels_first", use_bias=False), 16)
run("conv2d_transpose_output_padding", (4, 4, 2),
    layers.Conv2DTranspose(3, 3, strides=(2, 3), padding="same", output_padding=(1, 2)), 17,
    note="output_padding put back into the JSON config (Keras's get_config drops it)")
put_back_output_padding("conv2d_transpose_output_padding", [1, 2])
run("conv3d_transpose_same_strided", (3, 2, 4, 2),
    layers.Conv3DTranspose(3, 2, strides=2, padding="same"), 18)
run("conv3d_transpose_channels_first", (2, 3, 3, 2),
    layers.Conv3DTranspose(2, (2, 3, 2), data_format="channels_first"), 19)

# DepthwiseConv1D / 2D
run("depthwise_conv1d_multiplier", (7, 3), layers.DepthwiseConv1D(3, depth_multiplier=2), 20)
run("depthwise_conv1d_same_strided_channels_first", (3, 8),
    layers.DepthwiseConv1D(4, strides=2, padding="same", data_format="channels_first"), 21)
run("depthwise_conv2d_same_multiplier", (6, 5, 3),
    layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu"), 22)
run("depthwise_conv2d_dilated", (8, 7, 2), layers.DepthwiseConv2D((3, 2), dilation_rate=2), 23)
run("depthwise_conv2d_channels_first_strided", (2, 7, 6),
    layers.DepthwiseConv2D(3, strides=2, depth_multiplier=3, data_format="channels_first",
                           use_bias=False), 24)

# SeparableConv1D / 2D
run("separable_conv1d_multiplier", (8, 3), layers.SeparableConv1D(4, 3, depth_multiplier=2), 25)
run("separable_conv1d_same_channels_first", (3, 7),
    layers.SeparableConv1D(5, 3, padding="same", data_format="channels_first"), 26)
run("separable_conv2d_same_strided", (7, 6, 3),
    layers.SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2,
                           activation="tanh"), 27)
run("separable_conv2d_dilated", (9, 8, 2), layers.SeparableConv2D(3, 3, dilation_rate=2), 28)
run("separable_conv2d_channels_first", (3, 6, 5),
    layers.SeparableConv2D(2, (2, 3), data_format="channels_first", use_bias=False), 29)
