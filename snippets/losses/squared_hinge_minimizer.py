import numpy as np
import lossref as lr

# Ten examples that share one input x, 7 of them labelled +1: P(y=+1 | x) = 0.7
y = np.array([1] * 7 + [-1] * 3)
candidates = np.linspace(-3.0, 3.0, 6001)  # constant scores s, step 0.001

risk = [lr.squared_hinge(y, np.full(10, c)) for c in candidates]
best = candidates[np.argmin(risk)]

print("best constant score:", round(best, 3))
print("(best + 1) / 2:", round((best + 1) / 2, 3))  # the probability estimate
print("its risk:", round(min(risk), 3))
