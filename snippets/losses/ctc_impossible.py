import numpy as np
import lossref as lr

logits = np.zeros((2, 3, 3))          # uniform over {-, a, b} for three steps
targets = np.array([[1, 1], [1, 2]])  # "aa" and "ab"

try:
    lr.ctc(targets, logits, input_lengths=np.array([2, 3]))  # "aa" in two steps: no alignment
except ValueError as err:
    print("ValueError:", err)

zeroed = lr.ctc(targets, logits, input_lengths=np.array([2, 3]), zero_infinity=True, reduction="none")
print("zero_infinity, per sequence:", zeroed)
print("three steps each, per sequence:", lr.ctc(targets, logits, reduction="none"))
