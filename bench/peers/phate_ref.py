"""Python-reference peer for bench/phate-reference.bench.ts (phate 1.0.11 with graphtools 2.1.0 and
s_gd2, from sources on PYTHONPATH; see scripts/fixtures/phate.py for the path list).

  phate_ref.py check                          -> exit 0 when `import phate` works
  phate_ref.py gen NAME out.f32               -> writes float32 rows (noisy then noiseless) and
                                                 prints {"n", "d"}; NAME: tree2000 | digits | tree20000
                                                 (the tutorial tree, 10 noisy draws per point)
  phate_ref.py genrec out.f32 E T U S        -> writes the hidden states [E, T, U, S] (float32) of the
                                                 small trained RNN of scripts/fixtures/phate.py
  phate_ref.py multi in.f32 E T U S out.f64 KIND -> m_phate.M_PHATE (its defaults, random_state 0) on
                                                 KIND m: the last time step's [E, U, S] slices;
                                                 KIND mm: [E*T, U, S] (MM-PHATE as its authors run it)
  phate_ref.py run in.f32 n d out.f64 SOLVER [SEED] -> PHATE (knn 5, decay 40, t auto, 2000 landmarks,
                                                 mds_solver SOLVER, random_state SEED or 0) on the first n rows, writes the
                                                 embedding (float64 n x 2), prints
                                                 {"t", "seconds", "peakMB"}
"""
import json
import os
import resource
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]

import numpy as np  # noqa: E402


def fit_and_report(op, X, out):
    """Embeds X with the reference operator, writes Y (<f8) to `out`, prints t, seconds and peak MB."""
    t0 = time.time()
    Y = op.fit_transform(X)
    seconds = time.time() - t0
    np.ascontiguousarray(Y, dtype="<f8").tofile(out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"t": int(op.optimal_t), "seconds": seconds, "peakMB": peak}))


def dla_tree(n_dim, n_branch, branch_length, seed=37, sigma=4, rand_multiplier=2):
    """phate.tree.gen_dla with the noiseless tree returned too (same random stream)."""
    np.random.seed(seed)
    M = np.cumsum(-1 + rand_multiplier * np.random.rand(branch_length, n_dim), 0)
    for _ in range(n_branch - 1):
        ind = np.random.randint(branch_length)
        new_branch = np.cumsum(-1 + rand_multiplier * np.random.rand(branch_length, n_dim), 0)
        M = np.concatenate([M, new_branch + M[ind, :]])
    return M + np.random.normal(0, sigma, M.shape), M


def main():
    cmd = sys.argv[1]
    if cmd == "check":
        import phate  # noqa: F401
        return
    if cmd == "gen":
        name, out = sys.argv[2], sys.argv[3]
        if name == "tree2000":  # PHATE's tutorial tree: 2000 points in 100-D
            noisy, clean = dla_tree(100, 20, 100)
        elif name == "tree20000":  # the tutorial tree sampled 10 times as densely: 10 noisy draws per tree point
            _, M = dla_tree(100, 20, 100)
            clean = np.repeat(M, 10, axis=0)
            noisy = clean + np.random.RandomState(7).normal(0, 4, clean.shape)
        elif name == "digits":
            from sklearn.datasets import load_digits
            noisy = load_digits().data
            clean = noisy
        else:
            raise SystemExit("unknown dataset " + name)
        np.concatenate([noisy, clean]).astype("<f4").tofile(out)
        print(json.dumps({"n": noisy.shape[0], "d": noisy.shape[1]}))
        return
    if cmd == "genrec":
        import importlib.util
        spec = importlib.util.spec_from_file_location(
            "phate_fixtures", os.path.join(here, "..", "..", "scripts", "fixtures", "phate.py"))
        fx = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fx)
        out, E, T, U, S = sys.argv[2], *map(int, sys.argv[3:7])
        fx.rnn_recording(epochs=E, steps=T, units=U, samples=S).astype("<f4").tofile(out)
        print(json.dumps({"shape": [E, T, U, S]}))
        return
    if cmd == "multi":
        import m_phate
        path, (E, T, U, S), out, kind = sys.argv[2], map(int, sys.argv[3:7]), sys.argv[7], sys.argv[8]
        X = np.fromfile(path, dtype="<f4").reshape(E, T, U, S).astype(np.float64)
        X = X[:, -1] if kind == "m" else X.reshape(E * T, U, S)
        fit_and_report(m_phate.M_PHATE(random_state=0, verbose=0, n_jobs=1), X, out)
        return
    import phate
    path, n, d, out, solver = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    X = np.fromfile(path, dtype="<f4")[: n * d].reshape(n, d).astype(np.float64)
    fit_and_report(phate.PHATE(random_state=seed, verbose=0, mds_solver=solver), X, out)


if __name__ == "__main__":
    main()
