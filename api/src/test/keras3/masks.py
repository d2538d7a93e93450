"""Lets Keras 3's NumPy backend pass masks from layer to layer, for the reference cases.

Keras 3.10's Layer._set_mask_metadata skips attaching output masks when the backend is numpy
(with a warning), so in predict() a mask would not flow from one layer to the next as it does on
the TensorFlow, JAX and torch backends. `enable()` replaces that one method with the same code
minus the numpy check; the layers' own math is Keras's, unchanged. make_rnn.py checks on one case
that the flowing mask gives what passing the mask to each layer by hand gives."""
from keras.src import backend, tree
from keras.src.layers.layer import Layer


def _set_mask_metadata(self, inputs, outputs, previous_mask):
    flat_outputs = tree.flatten(outputs)
    if all(backend.get_keras_mask(x) is not None for x in flat_outputs):
        return
    output_masks = self.compute_mask(inputs, previous_mask)
    if output_masks is None:
        return
    for tensor, mask in zip(flat_outputs, tree.flatten(output_masks)):
        if backend.get_keras_mask(tensor) is None and mask is not None:
            backend.set_keras_mask(tensor, mask)


def enable():
    Layer._set_mask_metadata = _set_mask_metadata
