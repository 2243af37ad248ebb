"""implicit's item-item recommenders fitted on the exact user x item matrix written by
bench/peers/itemcf.ts (indptr.i32, indices.i32, data.f32, meta.json); prints one JSON line with the
fit seconds (best of --repeats) and the process's peak RSS. Measuring stick only, not product code.

python bench/peers/implicit_itemcf.py --dir /tmp/itemcf-bench/matrix --k 100 --threads 2
"""
import argparse
import json
import os
import resource
import time

import numpy as np
from scipy.sparse import csr_matrix

p = argparse.ArgumentParser()
p.add_argument("--dir", required=True)
p.add_argument("--k", type=int, default=100)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--model", default="cosine", choices=["cosine", "tfidf", "bm25"])
p.add_argument("--repeats", type=int, default=2)
a = p.parse_args()

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, TFIDFRecommender  # noqa: E402

meta = json.load(open(os.path.join(a.dir, "meta.json")))
indptr = np.fromfile(os.path.join(a.dir, "indptr.i32"), dtype=np.int32)
indices = np.fromfile(os.path.join(a.dir, "indices.i32"), dtype=np.int32)
data = np.fromfile(os.path.join(a.dir, "data.f32"), dtype=np.float32)
user_items = csr_matrix((data, indices, indptr), shape=(meta["nUsers"], meta["nItems"]))

cls = {"cosine": CosineRecommender, "tfidf": TFIDFRecommender, "bm25": BM25Recommender}[a.model]
times = []
model = None
for _ in range(a.repeats):
    model = cls(K=a.k, num_threads=a.threads)
    t = time.perf_counter()
    model.fit(user_items, show_progress=False)
    times.append(time.perf_counter() - t)
sim = model.similarity
print(json.dumps({
    "library": "implicit",
    "model": cls.__name__,
    "k": a.k,
    "threads": a.threads,
    "fitSeconds": min(times),
    "allFitSeconds": times,
    "simNnz": int(sim.nnz),
    "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
