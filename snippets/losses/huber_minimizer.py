import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])  # one large value
candidates = np.linspace(0.0, 12.0, 12001)  # constant predictions c, step 0.001

for delta in (0.5, 2.0, 5.0, 20.0):
    risk = [lr.huber(y, np.full_like(y, c), delta=delta) for c in candidates]
    print(f"best constant, delta={delta}:", round(candidates[np.argmin(risk)], 3))

print("median of y:", np.median(y))
print("mean of y:", y.mean())
