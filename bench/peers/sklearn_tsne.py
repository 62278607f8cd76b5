"""scikit-learn peer for bench/embedding.bench.ts: t-SNE of the same points with scikit-learn's TSNE
(Barnes-Hut, perplexity 30, early exaggeration 12, learning_rate='auto', init='pca', 1000
iterations: the defaults of rnn-lyap's tsne), one OpenMP thread. Reads the points as raw float64
(row-major n x d), writes the embedding as raw float64 (n x 2) and prints one JSON line:
{"sklearn": version, "seconds": wall time of fit_transform, "kl": kl_divergence_, "iterations": n_iter_}.

Usage: python3 sklearn_tsne.py points.f64 n d embedding_out.f64 [seed]
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.manifold import TSNE  # noqa: E402


def main():
    path, n, d, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    X = np.fromfile(path, dtype=np.float64).reshape(n, d)
    kwargs = dict(n_components=2, perplexity=30.0, early_exaggeration=12.0, learning_rate="auto",
                  init="pca", random_state=seed, method="barnes_hut", angle=0.5)
    try:
        tsne = TSNE(n_iter=1000, **kwargs)
    except TypeError:  # scikit-learn >= 1.5 renamed n_iter to max_iter
        tsne = TSNE(max_iter=1000, **kwargs)
    t0 = time.perf_counter()
    Y = tsne.fit_transform(X)
    seconds = time.perf_counter() - t0
    np.ascontiguousarray(Y, dtype=np.float64).tofile(out)
    print(json.dumps({"sklearn": sklearn.__version__, "seconds": seconds,
                      "kl": float(tsne.kl_divergence_), "iterations": int(tsne.n_iter_)}))


if __name__ == "__main__":
    main()
