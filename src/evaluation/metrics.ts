/**
 * Per-case ranking metrics at a cut-off K, computed from the (1-based, conservative) ranks of the
 * case's targets in a full ranking (see `ranks.ts`). Relevance is binary: every target counts 1.
 *
 * With H = {t ∈ T : rank(t) ≤ K} (the hits) and |T| the number of targets (an excluded target has
 * rank {@link UNREACHABLE_RANK} and is a miss; it still counts in |T|):
 *
 * - Precision@K = |H| / K
 * - Recall@K    = |H| / |T|
 * - NDCG@K      = DCG / IDCG, DCG = Σ_{t ∈ H} 1 / log2(rank(t) + 1), IDCG = Σ_{i=1}^{min(|T|, K)} 1 / log2(i + 1)
 * - MRR@K       = 1 / min rank if the best target is within K, else 0 (reciprocal rank, truncated)
 * - HR@K        = 1 if |H| > 0 else 0 (hit rate)
 *
 * A case must have at least one target (the metrics are undefined otherwise).
 */
import { RecError } from '../core/errors.js';
import { UNREACHABLE_RANK } from './ranks.js';

export { UNREACHABLE_RANK };

/** Names of the ranking metrics, in the order used by {@link caseMetricsInto}. */
export const RANKING_METRICS = ['precision', 'recall', 'ndcg', 'mrr', 'hr'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];

/** Key of a metric at a cut-off, e.g. `metricKey('ndcg', 10)` = `"ndcg@10"`. */
export function metricKey(metric: RankingMetric, k: number): string {
  return `${metric}@${k}`;
}

/** Inverse of {@link metricKey}; throws USAGE for an unknown metric or a bad cut-off. */
export function parseMetricKey(key: string): { metric: RankingMetric; k: number } {
  const m = /^([a-z]+)@(\d+)$/.exec(key);
  const metric = m?.[1] as RankingMetric | undefined;
  if (!m || !metric || !RANKING_METRICS.includes(metric) || Number(m[2]) < 1) {
    throw new RecError(
      'USAGE',
      `Unknown metric "${key}"; expected one of ${RANKING_METRICS.join(', ')} followed by @K, e.g. ndcg@10`,
    );
  }
  return { metric, k: Number(m[2]) };
}

/** DCG discount of a hit at 1-based `rank`: 1 / log2(rank + 1). */
export function dcgDiscount(rank: number): number {
  return 1 / Math.log2(rank + 1);
}

let idcgTable = new Float64Array([0]);
/** Ideal DCG of `n` relevant items at the top: Σ_{i=1}^{n} 1/log2(i+1) (cached). */
export function idealDcg(n: number): number {
  if (n >= idcgTable.length) {
    const t = new Float64Array(Math.max(n + 1, idcgTable.length * 2));
    t.set(idcgTable);
    for (let i = idcgTable.length; i < t.length; i++) t[i] = t[i - 1] + dcgDiscount(i);
    idcgTable = t;
  }
  return idcgTable[n];
}

function checkCase(ranks: ArrayLike<number>, k: number): void {
  if (ranks.length === 0)
    throw new RecError('USAGE', 'A case needs at least one target to compute ranking metrics');
  if (!(k >= 1) || !Number.isInteger(k))
    throw new RecError('USAGE', `Cut-off K must be a positive integer, got ${k}`);
}

function countHits(ranks: ArrayLike<number>, k: number): number {
  let h = 0;
  for (let i = 0; i < ranks.length; i++) if (ranks[i] <= k) h++;
  return h;
}

/** Precision@K = hits / K. */
export function precisionAtK(ranks: ArrayLike<number>, k: number): number {
  checkCase(ranks, k);
  return countHits(ranks, k) / k;
}

/** Recall@K = hits / |T|. */
export function recallAtK(ranks: ArrayLike<number>, k: number): number {
  checkCase(ranks, k);
  return countHits(ranks, k) / ranks.length;
}

/** HitRate@K = 1 when at least one target is in the top K, else 0. */
export function hitRateAtK(ranks: ArrayLike<number>, k: number): number {
  checkCase(ranks, k);
  return countHits(ranks, k) > 0 ? 1 : 0;
}

/** MRR@K = 1 / (best rank) when it is ≤ K, else 0. */
export function mrrAtK(ranks: ArrayLike<number>, k: number): number {
  checkCase(ranks, k);
  let best = UNREACHABLE_RANK;
  for (let i = 0; i < ranks.length; i++) if (ranks[i] < best) best = ranks[i];
  return best <= k ? 1 / best : 0;
}

/** NDCG@K with binary relevance; IDCG over min(|T|, K) relevant items. */
export function ndcgAtK(ranks: ArrayLike<number>, k: number): number {
  checkCase(ranks, k);
  let dcg = 0;
  for (let i = 0; i < ranks.length; i++) if (ranks[i] <= k) dcg += dcgDiscount(ranks[i]);
  return dcg / idealDcg(Math.min(ranks.length, k));
}

/**
 * All ranking metrics for all cut-offs of one case, written without allocation into
 * `out[outOffset + ki * 5 + m]` for cut-off `ks[ki]` and metric `RANKING_METRICS[m]`.
 * One pass over the ranks per cut-off. Equal to the single-metric functions (tested).
 */
export function caseMetricsInto(
  ranks: ArrayLike<number>,
  ks: readonly number[],
  out: Float64Array,
  outOffset = 0,
): void {
  const nT = ranks.length;
  for (let ki = 0; ki < ks.length; ki++) {
    const k = ks[ki];
    checkCase(ranks, k);
    let hits = 0;
    let dcg = 0;
    let best = UNREACHABLE_RANK;
    for (let i = 0; i < nT; i++) {
      const r = ranks[i];
      if (r <= k) {
        hits++;
        dcg += dcgDiscount(r);
        if (r < best) best = r;
      }
    }
    const o = outOffset + ki * RANKING_METRICS.length;
    out[o] = hits / k;
    out[o + 1] = hits / nT;
    out[o + 2] = dcg / idealDcg(Math.min(nT, k));
    out[o + 3] = hits > 0 ? 1 / best : 0;
    out[o + 4] = hits > 0 ? 1 : 0;
  }
}
