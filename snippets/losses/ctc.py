import numpy as np
import lossref as lr

# Three sequences, 6 time steps, 5 classes (the blank is class 0); targets padded with -1.
rng = np.random.default_rng(0)
logits = rng.normal(size=(3, 6, 5))
targets = np.array([[1, 2, 3],
                    [4, 4, -1],
                    [2, -1, -1]])
target_lengths = np.array([3, 2, 1])
input_lengths = np.array([6, 6, 4])   # the last sequence has two padded frames
lengths = {"input_lengths": input_lengths, "target_lengths": target_lengths}

each = lr.ctc(targets, logits, **lengths, reduction="none")
print("loss per sequence:", each)
print("probability of each target:", np.exp(-each))
print("lossref mean (over sequences):", lr.ctc(targets, logits, **lengths))
print("PyTorch's 'mean' (each divided by its target length first):", np.mean(each / target_lengths))

grad = lr.ctc.grad(targets, logits, **lengths)
print("gradient shape:", grad.shape)
print("largest gradient on the padded frames:", np.abs(grad[2, 4:]).max())
print("largest sum of a step's gradient over the classes:", np.abs(grad.sum(axis=-1)).max())
