"""A regression of posteriordb diamonds' shape (5,000 observations, 24 centred predictors, an intercept and a residual
sd; brms's normal_id_glm model) with simulated data: four standard normal variables and their powers 1 to 6, scaled
and jittered, so the predictors are correlated as polynomial terms are. Writes data.json (N, K, Xc, Y) beside this file."""
import json
import os
import numpy as np

rng = np.random.default_rng(3)
n, k = 5000, 24
base = rng.normal(size=(n, 4))
x = np.array([base[:, j] ** p / 3 ** p for j in range(4) for p in range(1, 7)]).T
x = x + 0.05 * rng.normal(size=x.shape)
x = x - x.mean(0)
b = rng.normal(size=k) * 0.5
y = 8 + x @ b + 0.3 * rng.normal(size=n)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data.json"), "w") as f:
    json.dump({"N": n, "K": k, "Xc": x.tolist(), "Y": y.tolist()}, f)
