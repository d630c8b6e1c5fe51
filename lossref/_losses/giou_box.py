"""Generalised IoU box loss: the ``giou_box`` loss and its catalogue entry."""

from __future__ import annotations

from .. import _validation as V
from .._info import Entry, Param
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._segmentation import BoxIoULoss

__all__ = ["GIoUBox", "ENTRY", "EPS_PARAM", "BOX_REFERENCES"]

EPS_PARAM = Param(
    "eps", 1e-7,
    "Added to the areas that divide (union, enclosing box; squared diagonal for DIoU and CIoU) so that "
    "degenerate boxes do not divide by 0 (>= 0; torchvision's default 1e-7, in the boxes' units squared).",
    constraint=V.Real(low=0),
)

BOX_REFERENCES = (
    "Rezatofighi, H., Tsoi, N., Gwak, J., Sadeghian, A., Reid, I. and Savarese, S. (2019). Generalized "
    "intersection over union: a metric and a loss for bounding box regression. CVPR 2019, 658-666.",
    "Zheng, Z., Wang, P., Liu, W., Li, J., Ye, R. and Ren, D. (2020). Distance-IoU loss: faster and better "
    "learning for bounding box regression. AAAI 2020, 12993-13000.",
)


class GIoUBox(BoxIoULoss):
    r"""Generalised IoU loss of predicted boxes against target boxes, rows ``(x1, y1, x2, y2)``.

    With $I$ the intersection's area, $U = A_{\text{pred}} + A_{\text{target}} - I$ the union's and
    $C$ the smallest enclosing box's (torchvision's placement of $\varepsilon$),

    $$
    L = 1 - \frac{I}{U + \varepsilon} + \frac{C - U}{C + \varepsilon}, \qquad
    \frac{\partial L}{\partial b} = -\frac{I'(U+\varepsilon) - I\,U'}{(U+\varepsilon)^2}
    + \frac{C' - U'}{C + \varepsilon} - \frac{(C - U)\,C'}{(C+\varepsilon)^2},
    $$

    where $'$ is the derivative in a predicted coordinate $b$: $I' = -h_I$ for $x_1$ when the
    predicted $x_1$ is the intersection's left edge (0 otherwise, and 0 when the boxes do not
    overlap), $U' = A'_{\text{pred}} - I'$, $C' = -h_C$ for $x_1$ when it is the enclosing box's
    left edge. At a tie of the two coordinates the predicted one is taken as the binding edge.
    Disjoint boxes have $I = 0$ and $L > 1$: the enclosing term still pulls them together.

    Examples
    --------
    >>> import lossref as lr
    >>> y = [[0.0, 0.0, 2.0, 2.0]]
    >>> lr.giou_box(y, [[1.0, 1.0, 3.0, 3.0]], eps=0.0, reduction="none").round(6)  # 1 - 1/7 + 2/9
    array([1.079365])
    >>> lr.giou_box(y, [[3.0, 0.0, 4.0, 2.0]], eps=0.0, reduction="none").round(6)  # 1 - 0 + 2/8
    array([1.25])
    """

    name = "giou_box"
    parameters = (EPS_PARAM,)

    def _combine(self, t, eps, want_grad):
        losses = 1 - t["iou"] + t["giou_pen"]
        return losses, (t["d_giou_pen"] - t["d_iou"]) if want_grad else None


ENTRY = Entry(
    title="Generalised IoU box loss",
    family="segmentation",
    page="segmentation.md#giou-box-loss",
    formula=r"L = 1 - \frac{I}{U + \varepsilon} + \frac{C - U}{C + \varepsilon}",
    gradient=r"\frac{\partial L}{\partial b} = -\frac{I'(U+\varepsilon) - I\,U'}{(U+\varepsilon)^2} + "
             r"\frac{C' - U'}{C + \varepsilon} - \frac{(C - U)\,C'}{(C + \varepsilon)^2}",
    target="target boxes (x1, y1, x2, y2), one per row, x2 >= x1 and y2 >= y1",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the predicted box equal to the target box (loss 0)",
    when_to_use="Bounding-box regression in detectors (DETR, FCOS): a scale-invariant overlap score that still "
                "has a gradient when the boxes do not overlap.",
    equivalents=(
        Eq("PyTorch", "torchvision.ops.generalized_box_iou_loss(boxes, y, reduction=\"mean\")", True),
        Eq("Keras 3", "no box losses in Keras 3 (KerasCV: keras_cv.losses.GIoULoss(bounding_box_format=\"xyxy\"))",
           False, "Keras 3 itself has none; KerasCV's GIoULoss takes the box format as a parameter."),
        Eq("optax", "no box IoU losses in optax", False, "optax has none."),
        Eq("scikit-learn", "no box IoU losses in scikit-learn", False, "scikit-learn has none."),
    ),
    notes=(
        "torchvision's default reduction is 'none' (lossref's is 'mean'), and its eps is added in the boxes' "
        "squared units: for boxes in normalised [0, 1] coordinates, 1e-7 is not negligible for tiny boxes.",
        "The loss is scale-invariant (up to eps), so its gradient in the coordinates scales like 1/size: small "
        "boxes get large steps.",
    ),
    references=BOX_REFERENCES[:1],
)
