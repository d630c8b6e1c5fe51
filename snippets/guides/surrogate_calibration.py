import numpy as np
import lossref as lr

eta = 0.7  # P(y = +1 | x) at some input x
s = np.linspace(-3.0, 3.0, 60001)  # candidate scores, step 1e-4
pos, neg = np.ones_like(s), -np.ones_like(s)

for name in ["logistic", "hinge", "squared_hinge"]:
    loss = lr.get(name)
    # expected loss at x when predicting s: eta L(+1, s) + (1 - eta) L(-1, s)
    risk = eta * loss(pos, s, reduction="none") + (1 - eta) * loss(neg, s, reduction="none")
    print(f"{name} best score:", s[np.argmin(risk)].round(4))
print("log(eta / (1 - eta)):", np.log(eta / (1 - eta)).round(4))
