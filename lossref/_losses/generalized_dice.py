"""Generalised Dice loss: the ``generalized_dice`` loss and its catalogue entry."""

from __future__ import annotations

import numpy as np

from .. import _validation as V
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._segmentation import OverlapLoss, overlap_forward, overlap_rows

__all__ = ["GeneralizedDice", "ENTRY", "class_weights", "weights_from_totals"]

WEIGHT_EPS = 1e-7  # optax's: w_c = 1 / (f_c^2 + 1e-7)


def class_weights(y: np.ndarray) -> np.ndarray:
    """optax's weights of a batch of masks ``(n, C, ...)``: ``weights_from_totals`` of its class totals."""
    axes = (0,) + tuple(range(2, y.ndim))
    return weights_from_totals(np.sum(y, axis=axes, dtype=np.float64))


def weights_from_totals(freq: np.ndarray) -> np.ndarray:
    """``1 / (f_c^2 + 1e-7)`` from the class totals ``f`` (float64: f^2 of a big float32 batch overflows
    float32), rescaled to sum to C."""
    w = 1.0 / (freq * freq + WEIGHT_EPS)
    return w / w.sum() * w.size


class GeneralizedDice(OverlapLoss):
    r"""Generalised Dice loss (optax's ``multiclass_generalized_dice_loss``), classes on axis 1.

    Inputs are ``(n, C, ...)``. The batch's class totals $f_c = \sum_{i,j} y_{icj}$ give the
    weights $w_c \propto 1 / (f_c^2 + 10^{-7})$, rescaled so that $\sum_c w_c = C$. With $d_{ic}$
    the Dice loss of class $c$ in example $i$ (``dice``: $1 - (2 I_{ic} + s) / (Y_{ic} + P_{ic} + s)$),

    $$
    L_i = \frac{1}{C} \sum_c w_c\, d_{ic}, \qquad
    \frac{\partial L_i}{\partial p_{icj}} = \frac{w_c}{C}\left(-\frac{2 y_{icj}}{S_{ic}}
    + \frac{2 I_{ic} + s}{S_{ic}^2}\right),
    $$

    and the "mean" reduction is optax's number. The weights depend on the targets only, so they
    are constants for the gradient in ``probs``; they couple the examples (each ``L_i`` depends
    on every example's targets), and ``sample_weight`` does not enter them. A class absent from
    the whole batch gets the weight ``1 / 1e-7`` before rescaling: it then dominates the loss.

    Examples
    --------
    >>> import lossref as lr
    >>> y = [[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]]  # (2, 2, 3)
    >>> p = [[[0.5, 1.0, 1.0], [0.5, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]]
    >>> # f = (4, 2), w = (0.4, 1.6); example 0: (0.4 (1 - 5 / 5.5) + 1.6 (1 - 0 / 0.5)) / 2
    >>> lr.generalized_dice(y, p, smooth=0.0, reduction="none").round(6)
    array([0.818182, 0.      ])
    """

    name = "generalized_dice"
    parameters = (
        Param("smooth", 1e-7,
              "Added to each class's Dice numerator and denominator (>= 0). optax's default is 1.0 in its own "
              "convention, which is 2.0 here; 0 makes a class empty in y and probs raise.",
              constraint=V.Real(low=0)),
    )

    def _check_inputs(self, arrays, params):
        return overlap_rows(arrays["y"], arrays["probs"], 1)[:1]

    def _forward(self, arrays, params, grad_weight):
        losses, grad = overlap_forward(
            arrays["y"], arrays["probs"], alpha=0.5, beta=0.5, smooth=params["smooth"] / 2, class_axis=1,
            grad_weight=grad_weight, loss_name="generalized_dice",
            what_zero="this class is all zero in both y and probs",
            weigh_classes=weights_from_totals,
        )
        return losses, None if grad is None else {"probs": grad}


ENTRY = Entry(
    title="Generalised Dice loss",
    family="segmentation",
    page="segmentation.md#generalised-dice-loss",
    formula=r"L_i = \frac{1}{C}\sum_c w_c \left(1 - \frac{2 I_{ic} + s}{Y_{ic} + P_{ic} + s}\right), \quad "
            r"w_c = \frac{C\,(f_c^2 + 10^{-7})^{-1}}{\sum_k (f_k^2 + 10^{-7})^{-1}},\ f_c = \sum_{i,j} y_{icj}",
    gradient=r"\frac{\partial L_i}{\partial p_{icj}} = \frac{w_c}{C}\left(-\frac{2 y_{icj}}{S_{ic}} + "
             r"\frac{2 I_{ic} + s}{S_{ic}^2}\right), \quad S_{ic} = Y_{ic} + P_{ic} + s",
    target="one-hot (or soft) masks of the shape of probs, classes on axis 1",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="for binary masks y, probs = y (every class's Dice loss is 0); soft masks are not their own "
              "minimiser",
    when_to_use="Multi-class segmentation with very unequal class sizes: the inverse squared frequency "
                "weights stop the large classes from deciding the loss alone.",
    equivalents=(
        Eq("PyTorch", "no built-in generalised Dice in torch (MONAI: monai.losses.GeneralizedDiceLoss)", False,
           "PyTorch itself has none; MONAI's GeneralizedDiceLoss is Sudre et al.'s form (one ratio of weighted "
           "sums, weights per example), not optax's weighted mean of per-class Dice losses."),
        Eq("Keras 3", "no generalised Dice in Keras", False, "Keras has Dice and Tversky only."),
        Eq("optax", "optax.losses.multiclass_generalized_dice_loss(jnp.moveaxis(logits, 1, -1), "
           "jnp.moveaxis(y, 1, -1), smooth=smooth / 2)", False,
           "optax takes logits with classes on the last axis (softmax over them by default; "
           "apply_softmax=False takes probabilities summing to 1 over the classes) and its smooth is half of "
           "lossref's: optax's default smooth=1.0 is lossref's 2.0, and lossref's default 1e-7 is nearly none. "
           "It returns the mean over examples and classes, lossref's 'mean'."),
        Eq("scikit-learn", "no generalised Dice", False, "scikit-learn has no Dice losses."),
    ),
    notes=(
        "The class weights come from the batch: the same image gets a different loss in a different batch, "
        "and a class absent from the batch gets a weight near C (all the others near 0) that magnifies its "
        "false positives. Large batches make the weights stable.",
        "optax's Dice inside is (I + s) / (I + (P - I)/2 + (Y - I)/2 + s): its smooth is half of lossref's.",
    ),
    references=(
        "Sudre, C. H., Li, W., Vercauteren, T., Ourselin, S. and Cardoso, M. J. (2017). Generalised Dice overlap "
        "as a deep learning loss function for highly unbalanced segmentations. DLMIA 2017, LNCS 10553, 240-248.",
    ),
)
