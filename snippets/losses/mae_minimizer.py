import numpy as np
import lossref as lr

y = np.array([1.0, 2.0, 2.5, 3.0, 11.5])  # one large value
candidates = np.linspace(0.0, 12.0, 12001)  # constant predictions c, step 0.001

risk = [lr.mae(y, np.full_like(y, c)) for c in candidates]
best = candidates[np.argmin(risk)]

print("best constant:", round(best, 3))
print("median of y:", np.median(y))
print("mean of y:", y.mean())

# Four values: every c between the two middle ones (2 and 3) minimises the risk
y_even = np.array([1.0, 2.0, 3.0, 11.5])
risk_even = [lr.mae(y_even, np.full_like(y_even, c)) for c in (2.0, 2.5, 3.0)]
print("risk at c = 2, 2.5, 3:", np.array(risk_even))
