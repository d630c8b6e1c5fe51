import numpy as np
import lossref as lr

y = np.array([1, -1, -1, 1, 1])  # labels in {-1, +1}
s = np.array([2.0, -0.5, 1.2, -3.0, 0.0])
y01 = (y + 1) / 2  # the same labels in {0, 1}

print("logistic:", lr.logistic(y, s, reduction="none"))
print("bce_with_logits:", lr.bce_with_logits(y01, s, reduction="none"))
print("logistic gradient:", lr.logistic.grad(y, s, reduction="none"))
print("bce_with_logits gradient:", lr.bce_with_logits.grad(y01, s, reduction="none"))  # sigma(s) - y01
