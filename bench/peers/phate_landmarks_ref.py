"""Python-reference peer for bench/phate-landmarks-replay.ts: phate 1.0.11 (graphtools 2.1.0,
s_gd2) with its landmark construction's random draws recorded (scripts/fixtures/phate-landmarks.py).

  phate_landmarks_ref.py check                 -> exit 0 when `import phate` works
  phate_landmarks_ref.py replay in.f32 n d SEED emb.f64 stream.f64 labels.i32
      PHATE (knn 5, decay 40, t auto, 2000 landmarks, mds_solver 'sgd', random_state SEED) on the
      first n rows; writes the embedding (float64 n x 2), graphtools' landmark labels (renumbered as
      np.unique does, int32) and the uniform stream our landmarkClusters consumes for the same run
      (float64: the randomized SVD's normals as Box-Muller pairs, then the MiniBatchKMeans draws);
      prints {"t", "seconds", "groups", "streamLength", "entropy"}. `seconds` includes the recording.
"""
import importlib.util
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]

import numpy as np  # noqa: E402


def fixtures():
    spec = importlib.util.spec_from_file_location(
        "phate_landmark_fixtures", os.path.join(here, "..", "..", "scripts", "fixtures", "phate-landmarks.py"))
    fx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fx)
    return fx


def main():
    cmd = sys.argv[1]
    if cmd == "check":
        import phate  # noqa: F401
        return
    if cmd != "replay":
        raise SystemExit("unknown command " + cmd)
    import phate
    fx = fixtures()
    path, n, d, seed = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    emb_out, stream_out, labels_out = sys.argv[6:9]
    X = np.fromfile(path, dtype="<f4")[: n * d].reshape(n, d).astype(np.float64)
    logs = fx.record_landmarks()
    op = phate.PHATE(random_state=seed, verbose=0, mds_solver="sgd", n_jobs=1)
    t0 = time.time()
    Y = op.fit_transform(X)
    seconds = time.time() - t0
    np.ascontiguousarray(Y, dtype="<f8").tofile(emb_out)
    _, labels = np.unique(np.asarray(op.graph.clusters), return_inverse=True)
    labels.astype("<i4").tofile(labels_out)
    u = fx.ours_uniforms(logs)
    u.astype("<f8").tofile(stream_out)
    h = phate.vne.compute_von_neumann_entropy(op.diff_op, t_max=100)
    print(json.dumps({"t": int(op.optimal_t), "seconds": seconds, "groups": int(labels.max() + 1),
                      "streamLength": int(u.size), "entropy": np.asarray(h).tolist()}))


if __name__ == "__main__":
    main()
