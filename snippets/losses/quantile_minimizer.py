import numpy as np
import lossref as lr

# 11 waiting times
y = np.array([3.1, 0.4, 1.2, 7.9, 2.2, 0.8, 1.6, 4.5, 2.9, 12.0, 1.9])
candidates = np.linspace(0.0, 13.0, 13001)  # constant predictions c, step 0.001

for tau in (0.1, 0.5, 0.9):
    risk = [lr.quantile(y, np.full_like(y, c), tau=tau) for c in candidates]
    best = candidates[np.argmin(risk)]
    print(f"best constant, tau={tau}:", round(best, 3))
    print(f"np.quantile, tau={tau}:", np.quantile(y, tau))
    # tau lies between the share of y below c and the share at or below c
    shares = [np.mean(y < best), np.mean(y <= best)]
    print(f"share below, at or below, tau={tau}:", np.round(shares, 3))
