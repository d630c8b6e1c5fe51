import numpy as np
import lossref as lr

# CIoU's trade-off alpha = v / (1 - IoU + v + eps) depends on the box. torchvision computes it under
# torch.no_grad(), so its gradient is alpha v'; lossref differentiates alpha too.
y = np.array([[0.0, 0.0, 2.0, 2.0]])
box = np.array([[0.3, 0.1, 2.5, 3.0]])
exact = lr.ciou_box.grad(y, box)


def value(b):
    return float(lr.ciou_box(y, b))


h = 1e-6
numeric = np.array([(value(box + h * e) - value(box - h * e)) / (2 * h) for e in np.eye(4)])
print("lossref gradient:", exact.ravel())
print("central differences of the value:", numeric)

# The alpha-held-constant gradient: DIoU's gradient plus alpha0 v', with alpha0 frozen at this box
def v(b):
    return 4 / np.pi ** 2 * (np.arctan(1.0) - np.arctan((b[0, 2] - b[0, 0]) / (b[0, 3] - b[0, 1]))) ** 2


alpha0 = (float(lr.ciou_box(y, box)) - float(lr.diou_box(y, box))) / v(box)  # CIoU - DIoU = alpha v
dv = np.array([(v(box + h * e) - v(box - h * e)) / (2 * h) for e in np.eye(4)])
print("alpha:", alpha0)
print("torchvision-style gradient:", (lr.diou_box.grad(y, box) + alpha0 * dv).ravel())
