"""Tversky loss: the ``tversky`` loss and its catalogue entry."""

from __future__ import annotations

from .. import _validation as V
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._segmentation import OverlapLoss, overlap_forward, overlap_rows

__all__ = ["Tversky", "ENTRY"]


class Tversky(OverlapLoss):
    r"""Tversky loss: a Dice loss that weighs false positives and false negatives separately.

    For an example with soft counts $\mathrm{TP} = \sum_j y_j p_j$, $\mathrm{FP} = \sum_j (1-y_j) p_j$,
    $\mathrm{FN} = \sum_j y_j (1-p_j)$ and $D = \mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s$,

    $$
    L = 1 - \frac{\mathrm{TP} + s}{D}, \qquad
    \frac{\partial L}{\partial p_j} = -\frac{y_j - r\,\big((1-\alpha-\beta)\,y_j + \alpha\big)}{D},
    \quad r = \frac{\mathrm{TP} + s}{D},
    $$

    since $D = (1-\alpha-\beta)\,\mathrm{TP} + \alpha P + \beta Y + s$. ``alpha`` weighs the false
    positives, ``beta`` the false negatives, as in the paper and optax (Keras 3 names them the other
    way round). ``alpha =
    beta = 0.5`` is ``dice`` with ``smooth`` doubled; ``alpha = beta = 1`` is the soft Jaccard
    (IoU) loss. Axes as for ``dice`` (``class_axis``).

    Examples
    --------
    >>> import lossref as lr
    >>> y, p = [[1.0, 1.0, 0.0, 0.0]], [[1.0, 0.5, 0.5, 0.0]]
    >>> lr.tversky(y, p, alpha=0.3, beta=0.7, smooth=0.0, reduction="none")  # 1 - 1.5 / 2
    array([0.25])
    >>> lr.tversky(y, p, alpha=1.0, beta=1.0, smooth=0.0, reduction="none")  # 1 - 1.5 / 2.5
    array([0.4])
    """

    name = "tversky"
    parameters = (
        Param("alpha", 0.5, "Weight of the false positives, sum (1 - y) p (>= 0).", constraint=V.Real(low=0)),
        Param("beta", 0.5, "Weight of the false negatives, sum y (1 - p) (>= 0); beta > alpha favours recall.",
              constraint=V.Real(low=0)),
        Param("smooth", 1.0,
              "Added to the numerator and the denominator (>= 0); 0 makes an example whose denominator is 0 "
              "(nothing the weights count) raise.", constraint=V.Real(low=0)),
        Param("class_axis", None,
              "None: one index over all of an example's axes. 1: inputs are (n, C, ...), one index per class, "
              "averaged over the classes.", constraint=V.Optional(V.OneOf(1))),
    )

    def _check_inputs(self, arrays, params):
        return overlap_rows(arrays["y"], arrays["probs"], params["class_axis"])[:1]

    def _forward(self, arrays, params, grad_weight):
        losses, grad = overlap_forward(
            arrays["y"], arrays["probs"], alpha=params["alpha"], beta=params["beta"], smooth=params["smooth"],
            class_axis=params["class_axis"], grad_weight=grad_weight, loss_name="tversky",
            what_zero="TP + alpha FP + beta FN = 0 there (no mass that the weights count)",
        )
        return losses, None if grad is None else {"probs": grad}


ENTRY = Entry(
    title="Tversky loss",
    family="segmentation",
    page="segmentation.md#tversky-loss",
    formula=r"L(y, p) = 1 - \frac{\mathrm{TP} + s}{\mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s}, "
            r"\quad \mathrm{TP} = \sum_j y_j p_j,\ \mathrm{FP} = \sum_j (1 - y_j) p_j,\ "
            r"\mathrm{FN} = \sum_j y_j (1 - p_j)",
    gradient=r"\frac{\partial L}{\partial p_j} = -\frac{y_j - r\,((1-\alpha-\beta)\,y_j + \alpha)}{D}, \quad "
             r"r = \frac{\mathrm{TP} + s}{D},\ D = \mathrm{TP} + \alpha\,\mathrm{FP} + \beta\,\mathrm{FN} + s",
    target="a mask per example: 0/1 (or soft, in [0, 1]) values of the shape of probs",
    properties=P(convex=False, differentiable_everywhere=True, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="for a binary mask y, probs = y (loss 0 for every smooth, alpha and beta); a soft mask is not "
              "its own minimiser",
    when_to_use="Segmentation where missing foreground costs more than a false alarm (or the reverse): "
                "beta > alpha trades precision for recall on small lesions.",
    equivalents=(
        Eq("PyTorch", "no built-in Tversky loss in torch (MONAI: monai.losses.TverskyLoss)", False,
           "PyTorch itself has none; MONAI's TverskyLoss uses alpha for the false positives as lossref does."),
        Eq("Keras 3", "keras.losses.Tversky(alpha=alpha, beta=beta, axis=tuple(range(1, probs.ndim)))(y, probs)",
           False,
           "Keras's alpha weighs the false negatives, lossref's beta: its code sets inputs = y_true and "
           "targets = y_pred, so its fp = sum((1 - targets) * inputs) is sum(y (1 - p)), the false negatives, "
           "whatever its docstring says; pass alpha=beta_lossref, beta=alpha_lossref. Its default axis=None reduces over the whole "
           "batch (one index per batch), and it has no smooth: 1e-7 in the denominator only, so an empty mask "
           "predicted empty costs 1."),
        Eq("optax", "jnp.mean(optax.losses.dice_loss(logits[..., None], y[..., None], alpha=alpha, beta=beta, "
           "smooth=1.0))", False,
           "optax's dice_loss is this Tversky index (alpha on the false positives, as here) but takes logits "
           "(sigmoid for one channel, softmax over the last axis otherwise), with classes on the last axis; the "
           "smooth enters the same way."),
        Eq("scikit-learn", "no Tversky loss", False, "scikit-learn has no Tversky index."),
    ),
    notes=(
        "Check which weight is which before porting a setting: in lossref and optax alpha weighs the "
        "false positives sum (1 - y) p and beta the false negatives; in Keras 3 (keras.losses.Tversky) alpha "
        "weighs the false negatives, whatever its docstring says. The widely copied focal-Tversky code of "
        "Abraham and Khan (2019) puts alpha = 0.7 on the false negatives: its alpha is lossref's beta.",
        "alpha + beta = 1 keeps the index in [0, 1] with the Dice-like scale; alpha = beta = 0.5 is Dice with "
        "twice the smoothing, alpha = beta = 1 the soft Jaccard loss.",
    ),
    references=(
        "Salehi, S. S. M., Erdogmus, D. and Gholipour, A. (2017). Tversky loss function for image segmentation "
        "using 3D fully convolutional deep networks. MLMI 2017, LNCS 10541, 379-387.",
        "Tversky, A. (1977). Features of similarity. Psychological Review 84(4), 327-352.",
    ),
)
