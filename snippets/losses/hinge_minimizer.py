import numpy as np
import lossref as lr

candidates = np.linspace(-3.0, 3.0, 6001)  # constant scores s, step 0.001

# Ten examples that share one input x: 7 (then 3) of them labelled +1
for n_pos in (7, 3):
    y = np.array([1] * n_pos + [-1] * (10 - n_pos))
    risk = [lr.hinge(y, np.full(10, c)) for c in candidates]
    print(f"P(y=+1) = {n_pos / 10}, best constant score:", round(candidates[np.argmin(risk)], 3))
    print(f"P(y=+1) = {n_pos / 10}, its risk:", round(min(risk), 3))
