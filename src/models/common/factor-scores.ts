/**
 * Scoring shared by the matrix-factorisation models (ALS, BPR): score(q, i) = b_i + x_q · v_i, with
 * x_q the trained user factor of a known user or a factor folded in from the query's history.
 *
 * Cost: O(nItems · k) per query plus the fold-in; no allocation beyond what the fold-in makes.
 */
import type { Query } from '../types.js';

/** Trained factors, row-major: `userFactors[u * k + a]`, `itemFactors[i * k + a]`. */
export interface FactorTables {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Per-item bias b_i added to every score; null or empty for none. */
  itemBias?: Float32Array | null;
}

/**
 * Writes the scores of `queries` into `out` (row q at `q * nItems`). A query whose user has a trained
 * factor uses it; otherwise `foldIn(query)` gives the factor, and a query it returns undefined for
 * (no usable history) scores 0 everywhere.
 */
export function scoreByFactors(
  f: FactorTables,
  k: number,
  queries: readonly Query[],
  out: Float32Array,
  foldIn: (query: Query) => Float32Array | undefined,
): void {
  const n = f.itemFactors.length / k;
  const nUsers = f.userFactors.length / k;
  const V = f.itemFactors;
  const B = f.itemBias && f.itemBias.length ? f.itemBias : null;
  for (let q = 0; q < queries.length; q++) {
    const query = queries[q];
    const x =
      query.user >= 0 && query.user < nUsers
        ? f.userFactors.subarray(query.user * k, (query.user + 1) * k)
        : foldIn(query);
    const o = q * n;
    if (!x) {
      out.fill(0, o, o + n);
      continue;
    }
    for (let i = 0; i < n; i++) {
      let s = B ? B[i] : 0;
      const vo = i * k;
      for (let a = 0; a < k; a++) s += x[a] * V[vo + a];
      out[o + i] = s;
    }
  }
}
