/**
 * Shared negative sampling from item popularity^α (GRU4Rec's `generate_neg_samples`: the
 * cumulative distribution of supp(i)^α and a binary search per uniform draw; α = 0 is uniform,
 * α = 1 proportional to popularity). One draw of `n` items per mini-batch, shared by every row of
 * it. Cost: O(nItems) set-up, O(log nItems) per sample; memory one Float64Array(nItems).
 */
import { RecError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

export class PopularitySampler {
  /** cdf[i] = Σ_{j ≤ i} p_j, cdf[n−1] = 1. */
  readonly cdf: Float64Array;

  constructor(
    counts: ArrayLike<number>,
    readonly alpha: number,
  ) {
    const n = counts.length;
    if (n === 0) throw new RecError('DATA_INVALID', 'Negative sampling needs at least one item');
    const cdf = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const c = counts[i];
      s += c > 0 ? Math.pow(c, alpha) : 0;
      cdf[i] = s;
    }
    if (!(s > 0)) {
      // No item was seen: fall back to uniform.
      for (let i = 0; i < n; i++) cdf[i] = (i + 1) / n;
    } else for (let i = 0; i < n; i++) cdf[i] /= s;
    cdf[n - 1] = 1;
    this.cdf = cdf;
  }

  /** Probability of item i under the sampler. */
  probability(i: number): number {
    return this.cdf[i] - (i > 0 ? this.cdf[i - 1] : 0);
  }

  /** One item index (first i with cdf[i] > u). */
  sample(rng: Rng): number {
    const u = rng.next();
    const cdf = this.cdf;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Fills `out` with independent draws. */
  sampleInto(rng: Rng, out: Int32Array): Int32Array {
    for (let k = 0; k < out.length; k++) out[k] = this.sample(rng);
    return out;
  }
}

/** Item occurrence counts of a list of item indices (the `supp(i)` GRU4Rec samples from). */
export function itemCounts(items: ArrayLike<number>, nItems: number): Float64Array {
  const c = new Float64Array(nItems);
  for (let i = 0; i < items.length; i++) c[items[i]]++;
  return c;
}
