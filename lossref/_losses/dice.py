"""Soft Dice loss: the ``dice`` loss and its catalogue entry."""

from __future__ import annotations

from .. import _validation as V
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._segmentation import OverlapLoss, overlap_forward, overlap_rows

__all__ = ["Dice", "ENTRY"]


class Dice(OverlapLoss):
    r"""Soft Dice loss of a predicted mask: one minus the smoothed Dice coefficient of each example.

    For an example (the slice ``y[i]``, ``probs[i]``: an image, a volume) with $I = \sum_j y_j p_j$,
    $Y = \sum_j y_j$, $P = \sum_j p_j$ and $S = Y + P + s$,

    $$
    L = 1 - \frac{2I + s}{S}, \qquad
    \frac{\partial L}{\partial p_j} = -\frac{2 y_j}{S} + \frac{2I + s}{S^2}.
    $$

    With ``class_axis=1`` the inputs are ``(n, C, ...)``: each class's Dice loss is computed over
    the remaining axes and the example's loss is their mean (the gradient carries a $1/C$).
    An empty mask predicted empty costs 0 when $s > 0$; with $s = 0$ it is 0/0 and raises.

    Examples
    --------
    >>> import lossref as lr
    >>> y = [[1.0, 1.0, 0.0, 0.0]]
    >>> lr.dice(y, [[1.0, 0.5, 0.5, 0.0]], smooth=0.0, reduction="none")  # 1 - 3 / 4
    array([0.25])
    >>> lr.dice.grad(y, [[1.0, 0.5, 0.5, 0.0]], smooth=0.0)  # -2 y / 4 + 3 / 16
    array([[-0.3125, -0.3125,  0.1875,  0.1875]])
    """

    name = "dice"
    parameters = (
        Param("smooth", 1.0,
              "Added to the numerator and the denominator (>= 0): an empty mask predicted empty then costs 0, "
              "and small masks get gentler gradients. 0 gives the plain Dice coefficient (0/0 on empty masks "
              "raises).", constraint=V.Real(low=0)),
        Param("class_axis", None,
              "None: one Dice over all of an example's axes. 1: inputs are (n, C, ...), one Dice per class "
              "over the remaining axes, averaged over the classes.", constraint=V.Optional(V.OneOf(1))),
    )

    def _check_inputs(self, arrays, params):
        return overlap_rows(arrays["y"], arrays["probs"], params["class_axis"])[:1]

    def _forward(self, arrays, params, grad_weight):
        # Dice is Tversky with alpha = beta = 1/2 and half the smoothing: (2I + s) / S = (I + s/2) / (S/2)
        losses, grad = overlap_forward(
            arrays["y"], arrays["probs"], alpha=0.5, beta=0.5, smooth=params["smooth"] / 2,
            class_axis=params["class_axis"], grad_weight=grad_weight, loss_name="dice",
            what_zero="y and probs are both all zero there",
        )
        return losses, None if grad is None else {"probs": grad}


ENTRY = Entry(
    title="Dice loss",
    family="segmentation",
    page="segmentation.md#dice-loss",
    formula=r"L(y, p) = 1 - \frac{2\sum_j y_j p_j + s}{\sum_j y_j + \sum_j p_j + s}",
    gradient=r"\frac{\partial L}{\partial p_j} = -\frac{2 y_j}{S} + \frac{2\sum_k y_k p_k + s}{S^2}, \quad "
             r"S = \sum_k y_k + \sum_k p_k + s",
    target="a mask per example: 0/1 (or soft, in [0, 1]) values of the shape of probs",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="for a binary mask y, probs = y (loss 0 for every smooth); a soft mask is not its own minimiser "
              "(for one pixel with y = 0.5 and smooth = 0 the loss falls as the probability rises to 1)",
    when_to_use="Segmentation with a small foreground (lesions, vessels): the loss scores overlap per image, so "
                "the many background pixels do not swamp it as they do a per-pixel cross-entropy.",
    equivalents=(
        Eq("PyTorch", "no built-in Dice loss in torch (MONAI: monai.losses.DiceLoss)", False,
           "PyTorch itself has none; MONAI's DiceLoss defaults to smooth_nr = smooth_dr = 1e-5 and sums over "
           "the spatial axes per example and channel."),
        Eq("Keras 3", "keras.losses.Dice(axis=tuple(range(1, probs.ndim)))(y, probs)", False,
           "Keras's default axis=None sums over every axis, the batch included: one Dice for the whole batch, "
           "not a mean of per-example Dice. With axis=(1, ..., ndim-1) it is per example, then averaged. It "
           "has no smooth: it adds backend.epsilon() = 1e-7 to the denominator only, so an empty mask "
           "predicted empty costs 1, not 0."),
        Eq("optax", "jnp.mean(optax.losses.dice_loss(logits[..., None], y[..., None], smooth=0.5))", False,
           "optax takes logits (probs = sigmoid(logits) for one channel, a softmax over the last axis for "
           "several) with classes on the last axis, and its smooth enters as (I + s) / (I + (P - I)/2 + "
           "(Y - I)/2 + s) = (2I + 2s) / (Y + P + 2s): optax's smooth is half of lossref's, so lossref's "
           "default 1.0 is optax's 0.5 (optax's own default 1.0 is lossref's 2.0). Its default axes are the "
           "spatial ones (all but the first and the last), so it is per example."),
        Eq("scikit-learn", "no Dice loss (sklearn.metrics.f1_score is the hard Dice on labels)", False,
           "scikit-learn has no differentiable Dice; f1_score on 0/1 labels equals 1 - Dice with smooth = 0."),
    ),
    notes=(
        "Keras's Dice reduces over the whole batch by default (axis=None flattens everything): one number per "
        "batch, and an image's weight grows with its mask size. Pass axis=(1, ..., ndim-1) for per-example Dice.",
        "The gradient is not bounded: it scales like 1/S, so a tiny mask predicted nearly empty with a small "
        "smooth gets very large steps. smooth = 1 (the default) caps them at about 1.",
        "Dice is not a proper scoring rule: its minimiser for uncertain pixels is not their probability, so "
        "Dice-trained outputs are poorly calibrated; combine with cross-entropy when probabilities matter.",
    ),
    references=(
        "Milletari, F., Navab, N. and Ahmadi, S.-A. (2016). V-Net: Fully convolutional neural networks for "
        "volumetric medical image segmentation. 3DV 2016, 565-571.",
        "Dice, L. R. (1945). Measures of the amount of ecologic association between species. Ecology 26(3), "
        "297-302.",
    ),
)
