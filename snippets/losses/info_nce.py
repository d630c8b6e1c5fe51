import numpy as np
import lossref as lr

rng = np.random.default_rng(1)
query = rng.normal(size=(4, 8))
positive_key = query + 0.5 * rng.normal(size=(4, 8))  # a noisy view of each query
negative_keys = rng.normal(size=(16, 8))  # a memory bank shared by every query

print("shared negatives:", round(float(lr.info_nce(query, positive_key, negative_keys)), 6))
print("in-batch negatives:", round(float(lr.info_nce(query, positive_key)), 6))
g_q, g_k, g_n = lr.info_nce.grad(query, positive_key, negative_keys)
print("gradient shapes:", g_q.shape, g_k.shape, g_n.shape)

# With every logit equal the loss is log(1 + M), whatever the temperature
same = np.ones((4, 8))
print("all keys alike:", round(float(lr.info_nce(same, same, np.ones((16, 8)))), 6), " log(17):", round(np.log(17), 6))
