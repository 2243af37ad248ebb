"""implicit (PyPI 0.7.3) side of the ALS/BPR peer bench.

Reads the exact training events written by `als-bpr.ts` (meta.json, user.i32, item.i32, event.u8,
ts.f64), builds the same interaction strengths (w_ui = sum of event weights, no decay), trains
implicit's ALS (conjugate gradient) or BPR with the given hyper-parameters and threads, writes the
factors (float32, row-major) so that funnelrec's evaluator scores both models identically, and
prints one JSON line: seconds per iteration, fit seconds, peak RSS.

ALS: implicit's confidence is C = alpha * M; we pass M = 1 + a*w with alpha = 1, i.e. exactly
funnelrec's c_ui = 1 + a*w (Hu et al. 2008). BPR: implicit uses only the non-zero pattern.
"""
import argparse
import json
import os
import resource
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402


def load(dirpath, weights):
    meta = json.load(open(os.path.join(dirpath, "meta.json")))
    user = np.fromfile(os.path.join(dirpath, "user.i32"), dtype="<i4")
    item = np.fromfile(os.path.join(dirpath, "item.i32"), dtype="<i4")
    event = np.fromfile(os.path.join(dirpath, "event.u8"), dtype=np.uint8)
    w = np.asarray(weights, dtype=np.float64)[event]
    keep = w > 0
    m = sp.coo_matrix((w[keep], (user[keep], item[keep])), shape=(meta["nUsers"], meta["nItems"]))
    return meta, m.tocsr()  # duplicates summed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", required=True)
    ap.add_argument("--model", choices=["als", "bpr"], required=True)
    ap.add_argument("--factors", type=int, default=64)
    ap.add_argument("--regularization", type=float, default=0.05)
    ap.add_argument("--alpha", type=float, default=10.0)
    ap.add_argument("--iterations", type=int, default=15)
    ap.add_argument("--cg-steps", type=int, default=3)
    ap.add_argument("--learning-rate", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--event-weights", default="1,3,5")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", help="directory for user.f32 / item.f32 / factors.json")
    a = ap.parse_args()

    weights = [float(x) for x in a.event_weights.split(",")]
    meta, strength = load(a.events, weights)
    times = []
    cpu_times = []
    last = [time.perf_counter(), 0.0]

    def cpu_now():
        r = resource.getrusage(resource.RUSAGE_SELF)  # all threads of the process
        return r.ru_utime + r.ru_stime

    def callback(iteration, elapsed, *rest):
        now = time.perf_counter()
        cpu = cpu_now()
        times.append(now - last[0])
        cpu_times.append(cpu - last[1])
        last[0] = now
        last[1] = cpu

    if a.model == "als":
        from implicit.cpu.als import AlternatingLeastSquares

        conf = strength.copy()
        conf.data = (1.0 + a.alpha * conf.data).astype(np.float32)
        model = AlternatingLeastSquares(
            factors=a.factors, regularization=a.regularization, alpha=1.0, iterations=a.iterations,
            use_cg=True, use_native=True, num_threads=a.threads, random_state=a.seed,
            calculate_training_loss=False,
        )
        model.cg_steps = a.cg_steps
        matrix = conf
    else:
        from implicit.cpu.bpr import BayesianPersonalizedRanking

        matrix = strength.copy()
        matrix.data = np.ones_like(matrix.data, dtype=np.float32)
        model = BayesianPersonalizedRanking(
            factors=a.factors, learning_rate=a.learning_rate, regularization=a.regularization,
            iterations=a.iterations, num_threads=a.threads, random_state=a.seed,
        )
    t0 = time.perf_counter()
    last[0] = t0
    last[1] = cpu_now()
    model.fit(matrix, show_progress=False, callback=callback)
    fit_seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        uf = np.ascontiguousarray(model.user_factors, dtype=np.float32)
        itf = np.ascontiguousarray(model.item_factors, dtype=np.float32)
        uf.tofile(os.path.join(a.out, "user.f32"))
        itf.tofile(os.path.join(a.out, "item.f32"))
        json.dump({"width": int(itf.shape[1]), "nUsers": int(uf.shape[0]), "nItems": int(itf.shape[0])},
                  open(os.path.join(a.out, "factors.json"), "w"))
    print(json.dumps({
        "lib": "implicit", "model": a.model, "nnz": int(matrix.nnz), "iterations": a.iterations,
        "secondsPerIteration": times, "cpuSecondsPerIteration": cpu_times, "fitSeconds": fit_seconds, "peakRssMB": peak_mb,
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
