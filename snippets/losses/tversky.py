import numpy as np
import lossref as lr

# Two predictions of the same mask: one adds a false positive, the other misses a pixel.
y = np.array([[1.0, 1.0, 0.0, 0.0]])
false_positive = np.array([[1.0, 1.0, 1.0, 0.0]])
false_negative = np.array([[1.0, 0.0, 0.0, 0.0]])
for alpha, beta in [(0.5, 0.5), (0.3, 0.7), (0.7, 0.3)]:
    fp = lr.tversky(y, false_positive, alpha=alpha, beta=beta, smooth=0.0)
    fn = lr.tversky(y, false_negative, alpha=alpha, beta=beta, smooth=0.0)
    print(f"false positive, false negative at alpha={alpha}, beta={beta}:", fp, fn)

# alpha = beta = 1/2 is Dice with twice the smoothing
print("tversky(smooth=1), dice(smooth=2):", lr.tversky(y, false_positive), lr.dice(y, false_positive, smooth=2.0))
