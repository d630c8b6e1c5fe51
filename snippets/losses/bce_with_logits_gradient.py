import numpy as np
import lossref as lr

# Confident and correct: y = 1 with large logits. The exact gradient is -sigmoid(-z).
y = np.array([1.0, 1.0, 1.0])
z = np.array([10.0, 20.0, 40.0])
p = 1 / (1 + np.exp(-z))
print("sigmoid(z) - y:", p - y)  # 1 - 1 = 0 once sigmoid(z) rounds to 1
print("lossref:", lr.bce_with_logits.grad(y, z, reduction="none"))
print("-sigmoid(-z):", -1 / (1 + np.exp(z)))
