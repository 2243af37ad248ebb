/**
 * Candidate generation for serving: a model that holds item vectors in an ANN index (two-tower)
 * offers `candidates(query, n)`; the recommend service then ranks only those `n` items instead of
 * scoring the whole catalogue. A model can instead come with a {@link ServingRanker} (the hybrid's
 * sparse serving path), which ranks a query itself. Models with neither keep the full-scoring path.
 */
import type { Query, Recommender } from '../../models/types.js';

/** The `n` best items of one query: model item indices best first, with their scores. */
export interface CandidateSet {
  readonly keys: Int32Array;
  readonly scores: Float32Array;
}

/**
 * Optional interface of a model that generates its own serving candidates (e.g. through an ANN
 * index over item vectors). The scores must be on the same scale as `scoreBatch`.
 */
export interface CandidateRecommender extends Recommender {
  candidates(query: Query, n: number): CandidateSet;
}

export function canGenerateCandidates(m: Recommender): m is CandidateRecommender {
  return typeof (m as Partial<CandidateRecommender>).candidates === 'function';
}

/**
 * A serving path attached to a loaded model (`LoadedModel.serving`): ranks a query without scoring
 * the whole catalogue, honouring the filter and exclusions exactly as full ranking would, and
 * optionally explains its own answer (reusing what `rank` computed for the same query object).
 */
export interface ServingRanker {
  rank(
    query: Query,
    k: number,
    keep: ((item: number) => boolean) | null,
    exclude: ReadonlySet<number>,
  ): Ranking;
  explainRecommendations?(
    query: Query,
    items: Int32Array,
    opts?: { itemLabel?: (item: number) => string; locale?: 'en' | 'ru' },
  ): readonly ({ text: string; kind: string; evidence?: Record<string, unknown> } | undefined)[];
}

/** How many candidates a request asks for: n = max(k · perK, min). */
export interface CandidatePolicy {
  readonly perK: number;
  readonly min: number;
}

export const DEFAULT_CANDIDATE_POLICY: CandidatePolicy = { perK: 10, min: 200 };

/** n = max(k · perK, min), at most the catalogue. */
export function candidateCount(k: number, p: CandidatePolicy, nItems: number): number {
  return Math.min(nItems, Math.max(k * p.perK, p.min));
}

/** A ranked list: model item indices best first and the score of each. */
export interface Ranking {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/**
 * The best `k` candidates that pass `keep` and are not in `exclude`, best first (ties by lower
 * item index, like the shared top-K). O(n log n) over the n candidates.
 */
export function rankCandidates(
  c: CandidateSet,
  k: number,
  keep: (item: number) => boolean,
  exclude: ReadonlySet<number>,
): Ranking {
  const idx: number[] = [];
  for (let j = 0; j < c.keys.length; j++) {
    const it = c.keys[j];
    if (it < 0 || !(c.scores[j] > -Infinity) || exclude.has(it) || !keep(it)) continue;
    idx.push(j);
  }
  idx.sort((a, b) => c.scores[b] - c.scores[a] || c.keys[a] - c.keys[b]);
  const m = Math.min(k, idx.length);
  const items = new Int32Array(m);
  const scores = new Float32Array(m);
  for (let r = 0; r < m; r++) {
    items[r] = c.keys[idx[r]];
    scores[r] = c.scores[idx[r]];
  }
  return { items, scores };
}
