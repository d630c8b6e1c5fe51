"""Complete-IoU box loss: the ``ciou_box`` loss and its catalogue entry."""

from __future__ import annotations

from .._info import Entry
from .._info import Equivalent as Eq
from .._info import Properties as P
from .._segmentation import BoxIoULoss
from .giou_box import BOX_REFERENCES, EPS_PARAM

__all__ = ["CIoUBox", "ENTRY"]


class CIoUBox(BoxIoULoss):
    r"""Complete-IoU loss: Distance-IoU plus an aspect-ratio term weighted by a trade-off $\alpha$.

    With the DIoU loss $L_D$, $v = \frac{4}{\pi^2}\big(\arctan\frac{w_t}{h_t} - \arctan\frac{w}{h}\big)^2$
    and $\alpha = v / (1 - \mathrm{IoU} + v + \varepsilon)$,

    $$
    L = L_D + \alpha v, \qquad
    \frac{\partial (\alpha v)}{\partial b} = \frac{\partial}{\partial b}\frac{v^2}{K}
    = \alpha (2 - \alpha)\, v' + \alpha^2\, \mathrm{IoU}', \quad K = 1 - \mathrm{IoU} + v + \varepsilon,
    $$

    the exact derivative. torchvision computes $\alpha$ under ``torch.no_grad()``, so its
    autograd gradient is $\alpha\, v'$ instead (the paper's choice): same value, different
    gradient. With $\theta = \arctan(w/h)$, $\theta'_w = h / (w^2 + h^2)$ and $\theta'_h =
    -w / (w^2 + h^2)$. Both boxes need positive width and height.

    Examples
    --------
    >>> import lossref as lr
    >>> y = [[0.0, 0.0, 2.0, 2.0]]
    >>> lr.ciou_box(y, [[0.0, 0.0, 2.0, 4.0]], eps=0.0, reduction="none").round(6)  # 1 - 1/2 + 1/20 + alpha v
    array([0.553248])
    """

    name = "ciou_box"
    parameters = (EPS_PARAM,)
    positive_boxes = True

    def _combine(self, t, eps, want_grad):
        v, iou = t["v"], t["iou"]
        alpha = v / (1 - iou + v + eps)
        losses = 1 - iou + t["diou_pen"] + alpha * v
        if not want_grad:
            return losses, None
        d_alpha_v = (alpha * (2 - alpha))[:, None] * t["d_v"] + (alpha * alpha)[:, None] * t["d_iou"]
        return losses, t["d_diou_pen"] - t["d_iou"] + d_alpha_v


ENTRY = Entry(
    title="Complete-IoU box loss",
    family="segmentation",
    page="segmentation.md#ciou-box-loss",
    formula=r"L = 1 - \mathrm{IoU} + \frac{\rho^2}{c^2 + \varepsilon} + \alpha v, \quad "
            r"v = \frac{4}{\pi^2}\left(\arctan\frac{w_t}{h_t} - \arctan\frac{w}{h}\right)^2,\ "
            r"\alpha = \frac{v}{1 - \mathrm{IoU} + v + \varepsilon}",
    gradient=r"\frac{\partial L}{\partial b} = \frac{\partial L_{\mathrm{DIoU}}}{\partial b} + "
             r"\alpha(2 - \alpha)\,\frac{\partial v}{\partial b} + \alpha^2\,\frac{\partial\,\mathrm{IoU}}{\partial b}",
    target="target boxes (x1, y1, x2, y2), one per row, with positive width and height",
    properties=P(convex=False, differentiable_everywhere=False, bounded_gradient=False,
                 robust_to_outliers=True, calibrated=False),
    minimizer="the predicted box equal to the target box (loss 0)",
    when_to_use="Box regression (the YOLO family) where the aspect ratio matters as well as overlap and centre.",
    equivalents=(
        Eq("PyTorch", "torchvision.ops.complete_box_iou_loss(boxes, y, reduction=\"mean\")", True),
        Eq("Keras 3", "no box losses in Keras 3 (KerasCV: keras_cv.losses.CIoULoss(bounding_box_format=\"xyxy\"))",
           False, "Keras 3 itself has none; KerasCV's CIoULoss takes the box format as a parameter."),
        Eq("optax", "no box IoU losses in optax", False, "optax has none."),
        Eq("scikit-learn", "no box IoU losses in scikit-learn", False, "scikit-learn has none."),
    ),
    notes=(
        "Same value as torchvision, different gradient: torchvision holds alpha constant (torch.no_grad), so "
        "its gradient is alpha v' where lossref's exact one is alpha (2 - alpha) v' + alpha^2 IoU'. They agree "
        "when v = 0 (equal aspect ratios); a finite-difference check of torchvision's gradient fails elsewhere.",
        "A box of zero height has no aspect ratio: lossref rejects it (torchvision divides by 0).",
    ),
    references=BOX_REFERENCES[1:],
)
