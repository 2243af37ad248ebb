"""gensim Word2Vec (skip-gram, negative sampling) on a sentence file: the reference for Item2Vec.

Reads one sentence per line (space-separated item indices), trains with the given
hyper-parameters, writes the input vectors as text (`item v1 ... vd` per line) and prints one JSON
line with the timings. Run by bench/peers/item2vec.ts; usable alone:

    python bench/peers/gensim_item2vec.py --sentences /tmp/i2v/sentences.txt --out /tmp/i2v/gensim.txt
"""
import argparse
import json
import resource
import time

from gensim.models import Word2Vec


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sentences", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--min-alpha", type=float, default=0.0001)
    p.add_argument("--sample", type=float, default=0.0)
    p.add_argument("--min-count", type=int, default=1)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    with open(a.sentences) as f:
        sentences = [line.split() for line in f if line.strip()]
    tokens = sum(len(s) for s in sentences)
    model = Word2Vec(
        vector_size=a.dim, window=a.window, negative=a.negative, hs=0, sg=1, epochs=a.epochs,
        alpha=a.alpha, min_alpha=a.min_alpha, sample=a.sample, min_count=a.min_count,
        workers=a.workers, seed=a.seed, ns_exponent=0.75,
    )
    t0 = time.perf_counter()
    model.build_vocab(sentences)
    t1 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    effective, raw = model.train(sentences, total_examples=len(sentences), epochs=a.epochs)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    t2 = time.perf_counter()
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    wv = model.wv
    with open(a.out, "w") as f:
        for key in wv.index_to_key:
            f.write(key + " " + " ".join(repr(float(x)) for x in wv[key]) + "\n")
    print(json.dumps({
        "sentences": len(sentences), "tokens": tokens, "vocab": len(wv.index_to_key),
        "vocabSeconds": t1 - t0, "trainSeconds": t2 - t1, "trainCpuSeconds": cpu,
        "effectiveWords": effective, "rawWords": raw,
        "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
