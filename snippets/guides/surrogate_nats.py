import numpy as np
import lossref as lr

# The comparison plot's curves in nats, for a positive example: the score (or logit) is the margin
margin = np.linspace(-3.0, 3.0, 601)
y_pm = np.ones_like(margin)  # label +1 for the margin losses
y_01 = np.ones_like(margin)  # label 1 for BCE and focal loss
zero_one = lr.zero_one(y_pm, margin, reduction="none")  # 1 where m <= 0
curves = {
    "hinge": lr.hinge(y_pm, margin, reduction="none"),
    "squared_hinge": lr.squared_hinge(y_pm, margin, reduction="none"),
    "logistic": lr.logistic(y_pm, margin, reduction="none"),
    "bce_with_logits": lr.bce_with_logits(y_01, margin, reduction="none"),
    "focal": lr.focal(y_01, margin, reduction="none", gamma=2.0),
}
for name, values in curves.items():
    print(f"{name} at m = 0:", values[300].round(6))  # margin[300] == 0
    print(f"{name}, smallest gap to 0-1:", (values - zero_one).min().round(6))

for name in ("logistic", "bce_with_logits", "focal"):  # in bits: divided by log 2
    print(f"{name} / log 2, smallest gap to 0-1:", (curves[name] / np.log(2) - zero_one).min().round(6))

# Even in bits, focal loss stays below the 0-1 loss on a stretch of wrong-sided margins
below = margin[curves["focal"] / np.log(2) < zero_one]
print("focal / log 2 below 0-1, margins from:", below.min().round(2), "to", below.max().round(2))
