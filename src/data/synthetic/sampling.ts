/**
 * Small sampling helpers over a seeded `Rng` (no allocation per draw). Distributions are chosen for
 * their shape: lognormal for durations, Lomax (Pareto II) for heavy-tailed counts.
 */
import type { Rng } from '../../core/rng.js';

/** Lognormal draw with the given median and log-space standard deviation. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

/** Lomax (Pareto type II) draw: scale·(U^(-1/shape) − 1); mean scale/(shape−1) for shape > 1. */
export function lomax(rng: Rng, scale: number, shape: number): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return scale * (Math.pow(u, -1 / shape) - 1);
}

/**
 * Index `i` in `[lo, hi)` with probability proportional to `cum[i] − cum[i−1]` (cumulative weights
 * restarted at `lo`, i.e. `cum[lo]` is the weight of `lo`). Binary search: O(log(hi − lo)).
 */
export function sampleCumulative(rng: Rng, cum: Float64Array, lo: number, hi: number): number {
  const total = cum[hi - 1];
  const x = rng.next() * total;
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (cum[m] > x) b = m;
    else a = m + 1;
  }
  return a;
}

/** Cumulative sums of `w` (one block). */
export function cumulative(w: ArrayLike<number>): Float64Array {
  const out = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i];
    out[i] = s;
  }
  return out;
}

/** A random permutation of `0..n-1`. */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return rng.shuffle(p);
}
