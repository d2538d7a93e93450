"""Keras reference cases for the core layers: EinsumDense, Identity, Masking, Embedding's
mask_zero (see refs.py).

The numpy backend ignores masks that flow along a graph, so the masked cases pass Keras's mask
explicitly (computed the way Keras's compute_mask does, in a Lambda) to the consuming layer;
their JSON is not loadable here (it holds a Lambda) and no .keras is written: the Java tests
build the same model with the mask flowing implicitly and compare the outputs.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402
from refs import case, rng  # noqa: E402

inp = keras.Input((5, 6))
outs = [
    layers.EinsumDense("abc,cd->abd", (None, 4), bias_axes="d", activation="relu")(inp),
    layers.EinsumDense("abc,cde->abde", (5, 2, 3), bias_axes="de")(inp),
    layers.EinsumDense("...b,bc->...c", 7, bias_axes="c")(inp),
    layers.EinsumDense("abc,cd->abd", (5, 3))(inp),
    layers.EinsumDense("ab...,bc->ac...", 4, bias_axes="c")(inp),
    layers.EinsumDense("abc,bcd->ad", 3, bias_axes="d", activation="tanh")(inp),
]
case("einsum_dense", keras.Model(inp, outs, name="einsum_dense"),
     rng(0).standard_normal((2, 5, 6)).astype("float32"))

x = rng(1).standard_normal((3, 5, 4)).astype("float32")
x[0, 1, :] = 0
x[0, 3, :] = 0
x[1, 4, :] = -1
x[2, :, :] = 0
x[2, 2, 0] = 0.5
inp = keras.Input((5, 4))
outs = [layers.Identity()(inp), layers.Masking()(inp), layers.Masking(-1.0)(inp)]
case("identity_masking", keras.Model(inp, outs, name="identity_masking"), x)

inp = keras.Input((5, 4))
masked = layers.Masking()(inp)
mask = layers.Lambda(lambda t: ops.any(ops.not_equal(t, 0.0), axis=-1))(inp)
pooled = layers.GlobalAveragePooling1D()(masked, mask=mask)
case("masking_pooling", keras.Model(inp, [pooled, ops.cast(mask, "float32")],
                                    name="masking_pooling"), x, save=False,
     note="masked mean over the kept steps; second output: Keras's mask")

ids = np.array([[1, 2, 0, 0, 3, 0], [4, 0, 5, 6, 7, 8], [9, 9, 9, 0, 0, 0]], dtype="int32")
inp = keras.Input((6,), dtype="int32")
emb = layers.Embedding(10, 4, mask_zero=True)(inp)
mask = layers.Lambda(lambda t: ops.not_equal(t, 0))(inp)
# the pooling multiplies its input by the mask in place (numpy): give it a copy
pooled = layers.GlobalAveragePooling1D()(ops.add(emb, 0.0), mask=mask)
case("embedding_mask_zero", keras.Model(inp, [emb, pooled, ops.cast(mask, "float32")],
                                        name="embedding_mask_zero"), ids, save=False,
     note="Embedding(mask_zero) output, masked mean, Keras's mask")

inp = keras.Input((6,), dtype="int32")
out = layers.Flatten()(layers.Embedding(10, 3, embeddings_regularizer="l2")(inp))
case("embedding_int_input", keras.Model(inp, out, name="embedding_int_input"), ids,
     note="an int32 Input (InputLayer dtype) feeding an Embedding")
