import numpy as np
import lossref as lr

# Only score differences matter, so fix s_2 = 0 and search s_0, s_1 on a grid (step 0.05)
grid = np.linspace(-2.0, 2.0, 81)
s0, s1 = np.meshgrid(grid, grid, indexing="ij")
S = np.column_stack([s0.ravel(), s1.ravel(), np.zeros(s0.size)])
n = len(S)

for p in ([0.6, 0.2, 0.2], [0.45, 0.35, 0.2]):  # P(class c | x); class 0 is the Bayes class
    for variant in ("crammer_singer", "weston_watkins"):
        # Expected loss at each candidate: sum over classes c of P(c | x) * L(c, s)
        risk = sum(pc * lr.multiclass_hinge(np.full(n, c), S, reduction="none", variant=variant)
                   for c, pc in enumerate(p))
        best = S[np.argmin(risk)]
        print(f"p = {p}, {variant}, best scores:", best.round(6) + 0.0)  # + 0.0 prints -0.0 as 0.0
        print(f"p = {p}, {variant}, expected loss:", round(risk.min(), 6))
