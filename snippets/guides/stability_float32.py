import numpy as np
import lossref as lr

# exp(x) is finite only up to log(largest float) of the dtype.
print("float32 exp overflows above:", np.log(np.finfo(np.float32).max))
print("float64 exp overflows above:", np.log(np.finfo(np.float64).max))

z = np.array([-100.0, 100.0], dtype=np.float32)
y = np.ones(2, dtype=np.float32)
with np.errstate(over="ignore", divide="ignore"):
    naive = -np.log(1 / (1 + np.exp(-z)))  # exp(100) is inf in float32 (not in float64)
print("naive, float32:", naive)

loss = lr.bce_with_logits(y, z, reduction="none")
print("lossref, float32:", loss)
print("dtype of the result:", loss.dtype)  # float32 in, float32 out
