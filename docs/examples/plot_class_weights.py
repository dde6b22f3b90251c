"""
Class-weight schemes for a long tail
====================================

:func:`~skewlearn.weighting.compute_class_weights` gives the weights of three schemes:
``balanced`` (inverse frequency), ``sqrt`` (its square root, gentler) and ``effective_number``
(Cui et al.'s effective number of samples, which flattens as ``beta`` falls). The gentler
schemes matter when the rarest classes have a handful of rows: inverse frequency gives each of
them a weight larger than a whole head class.
"""

import numpy as np
import pandas as pd

from skewlearn.weighting import class_weight_to_sample_weight, compute_class_weights

counts = np.round(1000 * 0.01 ** (np.arange(8) / 7)).astype(int)
y = np.repeat(np.arange(8), counts)


def weights(scheme, **params):
    return list(compute_class_weights(y, scheme, **params).values())


table = pd.DataFrame(
    {
        "rows": counts,
        "balanced": weights("balanced"),
        "sqrt": weights("sqrt"),
        "effective number, beta=0.999": weights("effective_number", beta=0.999),
        "effective number, beta=0.99": weights("effective_number", beta=0.99),
    }
)
ax = table.drop(columns="rows").plot(logy=True, marker="o", figsize=(6, 4))
ax.set(xlabel="class (most to least frequent)", ylabel="weight")
# %%
# Any learner that takes ``sample_weight`` can use them:
sample_weight = class_weight_to_sample_weight(y, "sqrt")
print(sample_weight[[0, -1]], sample_weight.sum(), len(y))
print(table.round(3).to_string())
