"""Distance-IoU box loss: the ``diou_box`` loss and its catalogue entry."""

from __future__ import annotations

from .._info import Entry
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._segmentation import BoxIoULoss
from .giou_box import BOX_REFERENCES, EPS_PARAM

__all__ = ["DIoUBox", "ENTRY"]


class DIoUBox(BoxIoULoss):
    r"""Distance-IoU loss: IoU loss plus the centres' squared distance over the enclosing diagonal.

    With $I$, $U$ as for ``giou_box``, $\rho^2$ the squared distance between the boxes' centres
    and $c^2 = w_C^2 + h_C^2$ the squared diagonal of the enclosing box,

    $$
    L = 1 - \frac{I}{U + \varepsilon} + \frac{\rho^2}{c^2 + \varepsilon}, \qquad
    \frac{\partial}{\partial b}\frac{\rho^2}{c^2 + \varepsilon}
    = \frac{(\rho^2)'}{c^2 + \varepsilon} - \frac{\rho^2\,(c^2)'}{(c^2 + \varepsilon)^2},
    $$

    with $(\rho^2)' = \Delta x$ for $x_1$ and $x_2$ ($\Delta x$ the centres' offset in $x$; the
    centre moves by half a coordinate) and $(c^2)' = -2 w_C$ for $x_1$ when it is the enclosing
    box's left edge. Ties bind on the prediction, as in ``giou_box``.

    Examples
    --------
    >>> import lossref as lr
    >>> y = [[0.0, 0.0, 2.0, 2.0]]
    >>> lr.diou_box(y, [[1.0, 1.0, 3.0, 3.0]], eps=0.0, reduction="none").round(6)  # 1 - 1/7 + 2/18
    array([0.968254])
    """

    name = "diou_box"
    parameters = (EPS_PARAM,)

    def _combine(self, t, eps, want_grad):
        losses = 1 - t["iou"] + t["diou_pen"]
        return losses, (t["d_diou_pen"] - t["d_iou"]) if want_grad else None


ENTRY = Entry(
    title="Distance-IoU box loss",
    family="segmentation",
    page="segmentation.md#diou-box-loss",
    formula=r"L = 1 - \frac{I}{U + \varepsilon} + \frac{\rho^2}{c^2 + \varepsilon}",
    gradient=r"\frac{\partial L}{\partial b} = -\frac{I'(U+\varepsilon) - I\,U'}{(U+\varepsilon)^2} + "
             r"\frac{(\rho^2)'}{c^2 + \varepsilon} - \frac{\rho^2\,(c^2)'}{(c^2 + \varepsilon)^2}",
    target="target boxes (x1, y1, x2, y2), one per row, x2 >= x1 and y2 >= y1",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the predicted box equal to the target box (loss 0)",
    when_to_use="Box regression where GIoU converges slowly (a box inside another has GIoU = IoU and no pull "
                "towards the centre): the centre-distance term moves the centre directly.",
    equivalents=(
        Eq("PyTorch", "torchvision.ops.distance_box_iou_loss(boxes, y, reduction=\"mean\")", True),
        Eq("Keras 3", "no box losses in Keras 3 (KerasCV has none for DIoU)", False, "Keras 3 itself has none."),
        Eq("optax", "no box IoU losses in optax", False, "optax has none."),
        Eq("scikit-learn", "no box IoU losses in scikit-learn", False, "scikit-learn has none."),
    ),
    notes=(
        "torchvision's default reduction is 'none' (lossref's is 'mean').",
        "The centre term is at most 1, so DIoU is in [0, 2]; it is 0 only for identical boxes.",
    ),
    references=BOX_REFERENCES[1:],
)
