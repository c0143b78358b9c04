"""deepMc's objective (eq. 7) with and without a ridge penalty, in numpy and scipy, as an independent check of the
choice the bundled declarations make (a standard normal prior on every factor, i.e. a penalty of 1/2 the squared norm).

Run: /usr/bin/python3 tools/reference/deepmc/ridge_or_not.py [shared/data]
For each real set: the paper's preprocessing, 10 % of the non-zeros of Y hidden, Y completed by each depth with
penalty 0 and 1, and the hidden entries scored (median absolute error, root mean square error; log2 units).
"""
import sys
import numpy as np
import scipy.io
import scipy.optimize


def preprocess(folder):
    counts = scipy.io.mmread(f"{folder}/counts.mtx").toarray().T  # cells x genes
    counts = counts[:, (counts >= 3).sum(0) >= 3]
    library = counts.sum(1)
    normalised = counts / library[:, None] * np.median(library)
    dispersion = normalised.std(0) / normalised.mean(0)
    keep = np.sort(np.argsort(-dispersion, kind="stable")[:1000])
    return np.log2(1 + normalised[:, keep])


def complete(y, widths, penalty, seed=1):
    """X = D1 ... Z fitted to the non-zero entries of y by L-BFGS, from a N(0, 0.1^2) start."""
    cells, genes = y.shape
    measured = y != 0
    shapes = [(genes, widths[0])] + [(widths[i], widths[i + 1]) for i in range(len(widths) - 1)] + [(widths[-1], cells)]
    sizes = [a * b for a, b in shapes]

    def unpack(x):
        out, at = [], 0
        for shape, size in zip(shapes, sizes):
            out.append(x[at:at + size].reshape(shape))
            at += size
        return out

    def loss(x):
        factors = unpack(x)
        prefix = [np.eye(genes)]
        for f in factors:
            prefix.append(prefix[-1] @ f)
        residual = np.where(measured, prefix[-1].T - y, 0).T  # genes x cells
        gradients, suffix = [], np.eye(cells)
        for i in reversed(range(len(factors))):
            gradients.append((prefix[i].T @ residual @ suffix.T).ravel())
            suffix = factors[i] @ suffix
        gradient = np.concatenate(gradients[::-1]) + penalty * x
        return 0.5 * (residual ** 2).sum() + 0.5 * penalty * (x ** 2).sum(), gradient

    start = 0.1 * np.random.default_rng(seed).normal(size=sum(sizes))
    fit = scipy.optimize.minimize(loss, start, jac=True, method="L-BFGS-B", options=dict(maxiter=1000, ftol=1e-12, gtol=1e-10))
    product = np.eye(genes)
    for f in unpack(fit.x):
        product = product @ f
    return product.T


def main(root):
    for name in ["pbmc_small", "lung_treutlein"]:
        y = preprocess(f"{root}/{name}")
        rng = np.random.default_rng(0)
        nonzero = np.argwhere(y != 0)
        hidden = nonzero[rng.random(len(nonzero)) < 0.1]
        corrupted = y.copy()
        corrupted[hidden[:, 0], hidden[:, 1]] = 0
        truth = y[hidden[:, 0], hidden[:, 1]]
        print(f"{name}: {y.shape[0]} cells x {y.shape[1]} genes, {len(hidden)} hidden entries")
        for widths in ([5], [10, 5], [20, 10, 5]):
            for penalty in (0.0, 1.0):
                errors = np.abs(complete(corrupted, widths, penalty)[hidden[:, 0], hidden[:, 1]] - truth)
                print(f"  widths {widths}, penalty {penalty}: median L1 {np.median(errors):.3f}, RMSE {np.sqrt((errors ** 2).mean()):.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
