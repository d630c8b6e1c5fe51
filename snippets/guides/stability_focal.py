import numpy as np
import lossref as lr

gamma = 0.5
y = np.array([1.0, 1.0])
z = np.array([-1000.0, 40.0])  # confidently wrong, confidently right

with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
    p = 1 / (1 + np.exp(-z))  # 0 and exactly 1.0
    q = 1 - p  # probability given to the wrong answer: 1 and 0
    ce = -np.log(p)
    print("naive loss:", q**gamma * ce)
    # What autograd does with q**gamma * ce: one factor at a time, with dq/dz = -p (1 - p).
    naive_grad = gamma * q ** (gamma - 1) * (-p * q) * ce + q**gamma * (-q)  # 0**(-0.5) = inf
print("naive gradient:", naive_grad)
print("lossref loss:", lr.focal(y, z, gamma=gamma, reduction="none"))
print("lossref gradient:", lr.focal.grad(y, z, gamma=gamma, reduction="none"))
