import numpy as np
import lossref as lr

q = 0.7  # Y ~ Bernoulli(q); a forecaster announces p
p = np.linspace(0.0, 1.0, 10001)  # candidate reports, step 1e-4
ones, zeros = np.ones_like(p), np.zeros_like(p)


def expected(loss, q=q, **kw):
    """E[L(Y, p)] = q L(1, p) + (1 - q) L(0, p), for every p at once."""
    return q * loss(ones, p, reduction="none", **kw) + (1 - q) * loss(zeros, p, reduction="none", **kw)


risks = {
    "log loss": expected(lr.bce),
    "Brier": expected(lr.mse),
    "absolute error": expected(lr.mae),
    # the 0-1 loss of the decision "y = 1 if p > 1/2": labels -1/+1 and the score p - 1/2
    "0-1 loss": expected(lambda y, s, **kw: lr.zero_one(2 * y - 1, s - 0.5, **kw)),
}
for name, risk in risks.items():
    best = p[risk <= risk.min() + 1e-12]  # every report that reaches the minimum
    print(f"{name}, minimised by p in:", best.min().round(4), best.max().round(4))
print("absolute error at p = q, at p = 1:", risks["absolute error"][[7000, -1]].round(4))  # p[7000] = 0.7
print("Brier at p = q, at p = 1:", risks["Brier"][[7000, -1]].round(4))

# Class weights a = 4 on y = 1 and b = 1 on y = 0, for an event of probability 0.2: not proper any more.
weighted = expected(lr.bce, q=0.2, class_weight=(1, 4))
print("weighted log loss, q = 0.2, minimised by p:", p[np.argmin(weighted)].round(4))
