/**
 * Fusion of the normalised component signals:
 *
 *   score(q, i) = Σ_c w[stage(q), c] · m_c(q) · v_c(q, i)
 *
 * with v the normalised signals (`features.ts`), w ≥ 0 the learned per-stage weights (one row per
 * funnel stage; `hybrid-static` uses the same row for all), and m_c(q) the session + history gate:
 * γ(q) = σ(θ · x(q)) for session components, 1 − γ(q) for history components, 1 for neutral ones
 * (`session-only`: γ = 1, `history-only`: γ = 0, `none`: m = 1 for all).
 *
 * Cost: O(|candidates| · signals) per query.
 */
import type { ComponentRole, HybridConfig } from './config.js';
import { GATE_DIM, type QueryFeatures } from './features.js';

export const N_STAGES = 4;

export interface FusionParams {
  /** Row-major N_STAGES × signals, each row on the simplex. */
  weights: Float64Array;
  /** Gate coefficients (length GATE_DIM). */
  theta: Float64Array;
}

/** γ(q) = σ(θ · x). */
export function gateValue(theta: Float64Array, x: Float64Array): number {
  let z = 0;
  for (let k = 0; k < GATE_DIM; k++) z += theta[k] * x[k];
  return 1 / (1 + Math.exp(-z));
}

/** Multipliers m_c(q) of the signals (`roles` has one entry per signal). */
export function multipliersInto(
  roles: readonly ComponentRole[],
  fusion: HybridConfig['fusion'],
  gamma: number,
  out: Float64Array,
): Float64Array {
  const g = fusion === 'session-only' ? 1 : fusion === 'history-only' ? 0 : gamma;
  for (let c = 0; c < roles.length; c++) {
    const r = roles[c];
    out[c] = fusion === 'none' || r === 'neutral' ? 1 : r === 'session' ? g : 1 - g;
  }
  return out;
}

/** Writes the fused score of every candidate of `f` into `out[0..K)`. */
export function fuseInto(
  f: QueryFeatures,
  weights: Float64Array,
  row: number,
  mult: Float64Array,
  out: Float64Array,
): void {
  const S = mult.length;
  const K = f.cands.length;
  const v = f.values;
  for (let k = 0; k < K; k++) {
    let s = 0;
    const o = k * S;
    for (let c = 0; c < S; c++) s += weights[row * S + c] * mult[c] * v[o + c];
    out[k] = s;
  }
}

/** Effective weights (w · m) of one query: how much each signal counts for it. */
export function effectiveWeights(
  p: FusionParams,
  f: QueryFeatures,
  roles: readonly ComponentRole[],
  cfg: Pick<HybridConfig, 'fusion' | 'stageWeights'>,
): Float64Array {
  const S = roles.length;
  const m = multipliersInto(roles, cfg.fusion, gateValue(p.theta, f.gateX), new Float64Array(S));
  const row = cfg.stageWeights ? f.stage : 0;
  for (let c = 0; c < S; c++) m[c] *= p.weights[row * S + c];
  return m;
}

/**
 * NDCG@k of one case with binary relevance; a target outside the candidates counts as missed, and
 * ties rank a target after every tied non-target (the evaluator's conservative rule).
 */
export function caseNdcg(
  scores: Float64Array,
  K: number,
  relevant: Uint8Array,
  nTargets: number,
  k = 10,
): number {
  let idcg = 0;
  for (let r = 0; r < Math.min(k, nTargets); r++) idcg += 1 / Math.log2(r + 2);
  if (idcg === 0) return 0;
  let dcg = 0;
  for (let a = 0; a < K; a++) {
    if (!relevant[a]) continue;
    const s = scores[a];
    let rank = 0;
    for (let b = 0; b < K && rank < k; b++) {
      if (b === a) continue;
      if (scores[b] > s || (scores[b] === s && (!relevant[b] || b < a))) rank++;
    }
    if (rank < k) dcg += 1 / Math.log2(rank + 2);
  }
  return dcg / idcg;
}
