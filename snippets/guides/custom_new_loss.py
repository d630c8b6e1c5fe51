import numpy as np
import lossref as lr


class PseudoHuber(lr.Loss):
    """delta^2 (sqrt(1 + (r / delta)^2) - 1), r = y_pred - y: smooth, with slope at most delta."""
    name = "pseudo_huber"

    def pointwise(self, y, y_pred, delta=1.0):  # keyword arguments become the loss's parameters
        return delta**2 * (np.sqrt(1 + ((y_pred - y) / delta) ** 2) - 1)

    def pointwise_grad(self, y, y_pred, delta=1.0):
        return (y_pred - y) / np.sqrt(1 + ((y_pred - y) / delta) ** 2)


class Forgetful(PseudoHuber):
    def pointwise_grad(self, y, y_pred, delta=1.0):  # drops the 1/delta^2 of the inner derivative
        return delta**2 * (y_pred - y) / np.sqrt(1 + ((y_pred - y) / delta) ** 2)


y, y_pred = np.array([0.0, 1.0, 2.0]), np.array([0.5, -2.0, 6.0])
print("loss, delta=2:", PseudoHuber()(y, y_pred, delta=2.0, reduction="none"))
print("correct, delta=2:", lr.check_grad(PseudoHuber(), y, y_pred, delta=2.0))
print("forgetful, delta=2:", lr.check_grad(Forgetful(), y, y_pred, delta=2.0))
print("forgetful, delta=1:", lr.check_grad(Forgetful(), y, y_pred, delta=1.0))  # the bug hides
