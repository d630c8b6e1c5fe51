import numpy as np
import lossref as lr

margin = np.linspace(-3.0, 3.0, 601)  # m = y * s, for y = +1 the score is the margin
y = np.ones_like(margin)
zero_one = lr.zero_one(y, margin, reduction="none")  # 1 where m <= 0
surrogates = {
    "hinge": lr.hinge(y, margin, reduction="none"),
    "logistic / log 2": lr.logistic(y, margin, reduction="none") / np.log(2),  # 1 at m = 0
    "squared_hinge": lr.squared_hinge(y, margin, reduction="none"),
    "exponential": np.exp(-margin),  # AdaBoost's loss; not in lossref
}
for name, values in surrogates.items():
    print(f"{name}, smallest gap to 0-1:", (values - zero_one).min().round(6))
    print(f"{name}, at m = 0:", values[300].round(6))  # margin[300] == 0

# A bound that falls caps the error rate; it need not pull the error rate down with it
y2 = np.array([1.0, 1.0])
before, after = np.array([0.1, 0.1]), np.array([-0.01, 3.0])  # scores of two positive examples
for label, s in (("before", before), ("after", after)):
    print(f"{label}, mean hinge:", round(lr.hinge(y2, s), 6))
    print(f"{label}, error rate:", lr.zero_one(y2, s))
