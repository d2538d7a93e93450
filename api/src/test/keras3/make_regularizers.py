"""Keras reference cases for weight/activity regularizers and weight constraints (see refs.py).

regularizers_loss: extra = the targets y, Keras's mean squared error of the predictions and
model.losses after one call (activity regularizers, then weight regularizers), so the test can
check the training loss mse + sum(losses).
constraints_step: extra = gradients for every trainable variable and the weights after one real
Keras SGD step (optimizer.apply_gradients applies the constraints after the update).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import constraints, layers, regularizers  # noqa: E402
from refs import _array, case, rng  # noqa: E402

x = rng(0).standard_normal((4, 5)).astype("float32")
y = rng(1).standard_normal((4, 3)).astype("float32")

model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(4, kernel_regularizer=regularizers.L1L2(0.01, 0.02),
                 bias_regularizer=regularizers.L2(0.1),
                 activity_regularizer=regularizers.L1(0.01)),
    layers.ActivityRegularization(l1=0.02, l2=0.03),
    layers.Dense(6, kernel_regularizer=regularizers.OrthogonalRegularizer(0.05, "columns"),
                 activity_regularizer="l2"),
    layers.Dense(3, kernel_regularizer=regularizers.OrthogonalRegularizer(0.1, "rows"),
                 bias_regularizer="l1"),
], name="regularizers_loss")


def losses(m):
    yp = keras.ops.convert_to_numpy(m(x))
    mse = float(np.mean(np.square(yp - y)))
    ls = [float(v) for v in m.losses]
    return {"y": _array(y), "mse": mse, "losses": ls, "total": mse + sum(ls)}


case("regularizers_loss", model, x, extra=losses)

model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(4, kernel_constraint=constraints.MaxNorm(0.8, axis=0),
                 bias_constraint=constraints.NonNeg()),
    layers.Dense(6, kernel_constraint=constraints.UnitNorm(axis=1),
                 bias_constraint=constraints.MinMaxNorm(0.5, 1.0, rate=0.7, axis=0)),
    layers.Dense(3, kernel_constraint=constraints.MaxNorm(1.5, axis=[0, 1]),
                 bias_constraint="non_neg"),
    layers.Dense(2, kernel_constraint=constraints.MinMaxNorm(0.2, 0.4, rate=1.0, axis=1)),
], name="constraints_step")


def step(m):
    opt = keras.optimizers.SGD(learning_rate=0.1)
    r = rng(3)
    grads = [r.standard_normal(tuple(v.shape)).astype("float32") for v in m.trainable_variables]
    opt.apply_gradients(zip(grads, m.trainable_variables))
    return {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1}},
            "gradients": [_array(g) for g in grads],
            "after": [_array(keras.ops.convert_to_numpy(v.value)) for v in m.weights]}


case("constraints_step", model, x, extra=step, save=False)
