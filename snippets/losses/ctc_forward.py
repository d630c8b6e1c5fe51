import numpy as np
import lossref as lr

# Three symbols: the blank "-" (class 0), "a" (1) and "b" (2); four time steps; the target "ab".
symbols = "-ab"
y = np.array([[0.5, 0.4, 0.1],    # the network's probabilities at each step (one row per step)
              [0.4, 0.3, 0.3],
              [0.3, 0.2, 0.5],
              [0.6, 0.1, 0.3]])
logits = np.log(y)[None]          # batch of one: softmax(logits) gives y back
targets = np.array([[1, 2]])

# alpha[t, s]: probability of the first t + 1 steps of the alignments that are at position s of "-a-b-"
alpha = np.exp(lr.ctc.forward_variables(targets, logits)[0])
np.set_printoptions(precision=4, suppress=True)
for t in range(4):
    print(f"alpha at step {t}:", alpha[t])

# One cell by the recursion: "b" at step 1 comes from "b", from the blank before it, or from "a" (a skip,
# allowed because a != b)
print("alpha_1(3) by hand:", y[1, 2] * (alpha[0, 3] + alpha[0, 2] + alpha[0, 1]))
print("p(ab) = alpha_3(4) + alpha_3(3):", alpha[3, 4] + alpha[3, 3])
print("exp(-ctc):", np.exp(-lr.ctc(targets, logits)))
