"""The built-in losses, one module each: ``lossref/_losses/<name>.py`` holds the loss class and its
catalogue ``ENTRY``.

``NAMES`` is the one ordered list of them (reference order: the order of ``lr.losses()``, of the
API page and of the comparison tables). Adding a loss is writing its module and adding its name
here; the registry, the lazy exports of ``lossref``, the page map and the API page follow.

This file must not import NumPy: ``lossref`` reads ``NAMES`` to know its exports without loading
any loss.
"""

NAMES = (
    # regression
    "mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile", "poisson_nll", "gaussian_nll", "msle",
    # probabilistic classification
    "bce", "bce_with_logits", "cross_entropy", "focal", "kl_divergence", "nll", "categorical_focal",
    # margin
    "hinge", "squared_hinge", "logistic", "multiclass_hinge", "zero_one",
    # sequence
    "ctc",
    # ranking
    "margin_ranking", "ranking_softmax",
    # metric learning and contrastive
    "cosine_distance", "triplet_margin", "cosine_embedding", "hinge_embedding", "ntxent", "info_nce", "circle",
    # segmentation and detection
    "dice", "tversky", "generalized_dice", "giou_box", "diou_box", "ciou_box",
)
