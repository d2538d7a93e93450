"""Writes a 100 MB .keras file (MLP 1000-4096-4096-1000, 25.0 M parameters) with real Keras for
the load-time figure in docs/keras-files.md (not committed: 100 MB). Argument: output path."""
import sys
import keras, numpy as np, os, time
OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/big_mlp.keras"
m = keras.Sequential([keras.Input((1000,)), keras.layers.Dense(4096, activation="relu"),
                      keras.layers.Dense(4096, activation="relu"), keras.layers.Dense(1000)], name="big_mlp")
m.save(OUT)
print(os.path.getsize(OUT) / 1e6, "MB", m.count_params(), "params")
t = time.time(); keras.saving.load_model(OUT); print("keras load_model", time.time() - t, "s")
