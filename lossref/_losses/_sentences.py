"""Sentences shared by the framework tabs of several losses."""

from __future__ import annotations

KERAS_FLOAT32 = (
    "Expect float32 rounding (about 1e-7 relative): Keras 3.15 on the JAX and PyTorch backends reduces in float32 even "
    "with keras.config.set_floatx(\"float64\")."
)
KERAS_ELEMENTWISE = (
    "Keras first averages over the last axis (one value per sample), so give 1-D data the shape (n, 1) when passing "
    "per-example sample_weight. With sample_weight the default reduction \"sum_over_batch_size\" divides by the "
    "number of samples, not by the sum of weights; reduction=\"mean_with_sample_weight\" (Keras >= 3.7) gives "
    "lossref's weighted mean. " + KERAS_FLOAT32
)
KERAS_ROWS = (
    "With sample_weight the default reduction \"sum_over_batch_size\" divides by the number of rows, not by the sum "
    "of weights; reduction=\"mean_with_sample_weight\" (Keras >= 3.7) gives lossref's weighted mean. " + KERAS_FLOAT32
)
SKLEARN_WEIGHTED = "With sample_weight it is the weighted mean sum(w*l)/sum(w), as in lossref."
