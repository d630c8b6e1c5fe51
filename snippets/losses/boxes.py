import numpy as np
import lossref as lr

# A 2x2 target box and three predictions: overlapping, inside it off centre, and disjoint.
y = np.array([[0.0, 0.0, 2.0, 2.0]] * 3)
boxes = np.array([[1.0, 1.0, 3.0, 3.0], [0.2, 0.2, 1.2, 1.2], [3.0, 0.0, 4.0, 2.0]])
for name in ("giou_box", "diou_box", "ciou_box"):
    print(f"{name}:", lr.get(name)(y, boxes, reduction="none"))

# Inside the target, GIoU's enclosing term is 0: no pull towards the centre; DIoU's centre term pulls.
shift = np.array([1.0, 1.0, 1.0, 1.0])  # moving the box by (+1, +1)
print("slope along the shift, giou:", lr.giou_box.grad(y, boxes, reduction="none")[1] @ shift)
print("slope along the shift, diou:", lr.diou_box.grad(y, boxes, reduction="none")[1] @ shift)

# Identical boxes cost 0; every term is unchanged by scaling both boxes (up to eps)
print("identical boxes:", lr.ciou_box(y, y, reduction="none"))
print("scaled by 1000:", lr.ciou_box(1000 * y, 1000 * boxes, eps=0.0, reduction="none"))
