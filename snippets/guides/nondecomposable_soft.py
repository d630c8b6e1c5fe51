import numpy as np
import lossref as lr

y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
z = np.array([2.0, -1.0, 0.3, 0.8, -2.5, -0.4])  # logits
p = 1 / (1 + np.exp(-z))

hard = (p > 0.5).astype(float)
tp, fp, fn = np.sum(hard * y), np.sum(hard * (1 - y)), np.sum((1 - hard) * y)
print("F1 at threshold 0.5:", round(2 * tp / (2 * tp + fp + fn), 4))


def soft_dice(y, p):
    """2 sum(p y) / (sum p + sum y): F1 with the counts replaced by sums of probabilities."""
    return 2 * np.sum(p * y) / (np.sum(p) + np.sum(y))


def soft_dice_grad(y, p):
    """dD/dp_i = 2 y_i / S - 2 I / S^2, with I = sum(p y) and S = sum p + sum y."""
    inter, total = np.sum(p * y), np.sum(p) + np.sum(y)
    return 2 * y / total - 2 * inter / total**2


def soft_iou(y, p):
    """sum(p y) / (sum p + sum y - sum(p y))."""
    inter = np.sum(p * y)
    return inter / (np.sum(p) + np.sum(y) - inter)


def soft_iou_grad(y, p):
    """dJ/dp_i = (y_i U - I (1 - y_i)) / U^2, with U = sum p + sum y - I."""
    inter = np.sum(p * y)
    union = np.sum(p) + np.sum(y) - inter
    return (y * union - inter * (1 - y)) / union**2


# lossref has no Dice or IoU loss yet: both are written above.
print("soft F1 = soft Dice:", round(soft_dice(y, p), 4))
print("soft IoU:", round(soft_iou(y, p), 4))
dice_grad_z = -soft_dice_grad(y, p) * p * (1 - p)  # the loss 1 - D, through the sigmoid
print("gradient of 1 - soft Dice in the logits:", dice_grad_z.round(4))
print("gradient of 1 - soft IoU in the logits:", (-soft_iou_grad(y, p) * p * (1 - p)).round(4))
print("gradient of the mean BCE, times n:", (len(y) * lr.bce_with_logits.grad(y, z)).round(4))
