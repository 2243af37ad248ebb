/**
 * Learning the fusion weights by direct NDCG@10 optimisation on the inner validation cases:
 * seeded random search over the simplex (plus the uniform point), then coordinate ascent
 * (multiplicative steps on one weight at a time, renormalised), per funnel stage starting from
 * the shared weights; the gate θ by coordinate search with the weights fixed.
 *
 * Cost: one objective evaluation is O(Σ_cases |candidates| · (signals + targets in candidates));
 * about randomStarts + searchRounds · signals · 6 evaluations per weight row.
 */
import type { Rng } from '../../core/rng.js';
import type { ComponentRole, HybridConfig } from './config.js';
import { GATE_DIM, type QueryFeatures } from './features.js';
import { N_STAGES, caseNdcg, fuseInto, gateValue, multipliersInto, type FusionParams } from './fusion.js';

export interface LabelledCase {
  f: QueryFeatures;
  relevant: Uint8Array;
  nTargets: number;
  /** In the natural (unstratified) sample: used for the shared row and the gate. Default true. */
  natural?: boolean;
}

/** Marks each case's candidates that are targets; `natural[q]` false marks a per-stage top-up case. */
export function labelCases(
  features: readonly QueryFeatures[],
  targets: readonly Int32Array[],
  natural?: readonly boolean[],
): LabelledCase[] {
  return features.map((f, q) => {
    const t = new Set(targets[q]);
    return {
      f,
      relevant: Uint8Array.from(f.cands, (i) => (t.has(i) ? 1 : 0)),
      nTargets: t.size,
      natural: natural ? natural[q] : true,
    };
  });
}

export interface LearnReport {
  /** Inner-validation NDCG@10 (natural sample) of the uniform weights, the shared weights and the final per-stage ones. */
  uniform: number;
  shared: number;
  final: number;
  /** Cases per stage (cold, browsing, intent, converted), natural + top-up. */
  stageCases: number[];
  /** Stages that got their own weights. */
  ownWeights: boolean[];
}

type Fusion = Pick<
  HybridConfig,
  'fusion' | 'stageWeights' | 'randomStarts' | 'searchRounds' | 'minStageCases'
>;

class Objective {
  private readonly scores: Float64Array;
  private readonly mult: Float64Array;
  constructor(
    private readonly cases: readonly LabelledCase[],
    private readonly roles: readonly ComponentRole[],
    private readonly fusion: HybridConfig['fusion'],
  ) {
    this.scores = new Float64Array(Math.max(1, ...cases.map((c) => c.f.cands.length)));
    this.mult = new Float64Array(roles.length);
  }

  /** Mean NDCG@10 of `idx` cases with weight row `w` (length signals) and gate θ. */
  mean(idx: readonly number[], w: Float64Array, theta: Float64Array): number {
    if (idx.length === 0) return 0;
    let sum = 0;
    for (const q of idx) {
      const c = this.cases[q];
      multipliersInto(this.roles, this.fusion, gateValue(theta, c.f.gateX), this.mult);
      fuseInto(c.f, w, 0, this.mult, this.scores);
      sum += caseNdcg(this.scores, c.f.cands.length, c.relevant, c.nTargets);
    }
    return sum / idx.length;
  }
}

function normalised(w: Float64Array): Float64Array {
  let s = 0;
  for (const v of w) s += v;
  return s > 0 ? w.map((v) => v / s) : w.fill(1 / w.length);
}

/**
 * Best of the starting points (`start`, then each `extraStarts`, then `cfg.randomStarts` random
 * points of the simplex), then coordinate ascent, of one weight row on `idx`.
 */
function searchRow(
  obj: Objective,
  idx: number[],
  start: Float64Array,
  theta: Float64Array,
  cfg: Fusion,
  rng: Rng,
  extraStarts: readonly Float64Array[] = [],
): Float64Array {
  const S = start.length;
  let best = normalised(start.slice());
  let bestV = obj.mean(idx, best, theta);
  for (const w0 of extraStarts) {
    const w = normalised(w0.slice());
    const v = obj.mean(idx, w, theta);
    if (v > bestV + 1e-12) [best, bestV] = [w, v];
  }
  for (let r = 0; r < cfg.randomStarts; r++) {
    // Uniform point of the simplex: normalised exponentials.
    const w = normalised(Float64Array.from({ length: S }, () => -Math.log(1 - rng.next())));
    const v = obj.mean(idx, w, theta);
    if (v > bestV + 1e-12) [best, bestV] = [w, v];
  }
  for (let round = 0; round < cfg.searchRounds; round++) {
    let improved = false;
    for (let c = 0; c < S; c++) {
      const cur = best[c];
      const tries = cur > 0 ? [0, cur / 4, cur / 2, cur * 2, cur * 4] : [0.05, 0.2, 0.5];
      for (const t of tries) {
        const w = best.slice();
        w[c] = t;
        const wn = normalised(w);
        const v = obj.mean(idx, wn, theta);
        if (v > bestV + 1e-9) {
          [best, bestV] = [wn, v];
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return best;
}

/** Coordinate search of the gate θ with the weight row fixed. */
function searchGate(obj: Objective, idx: number[], w: Float64Array, rounds: number): Float64Array {
  let theta = new Float64Array(GATE_DIM);
  let bestV = obj.mean(idx, w, theta);
  for (let round = 0; round < rounds; round++) {
    let improved = false;
    for (let k = 0; k < GATE_DIM; k++) {
      for (const d of [-2, -1, -0.5, 0.5, 1, 2]) {
        const t = theta.slice();
        t[k] += d;
        const v = obj.mean(idx, w, t);
        if (v > bestV + 1e-9) [theta, bestV, improved] = [t, v, true];
      }
    }
    if (!improved) break;
  }
  return theta;
}

/** Learns the fusion parameters on labelled inner validation cases. */
export function learnFusion(
  cases: readonly LabelledCase[],
  roles: readonly ComponentRole[],
  cfg: Fusion,
  rng: Rng,
): { params: FusionParams; report: LearnReport } {
  const S = roles.length;
  const obj = new Objective(cases, roles, cfg.fusion);
  // The shared row and the gate are learned on the natural sample (the outer protocol's mix of
  // stages); per-stage rows on every case of their stage (natural + top-up).
  const all = cases.flatMap((c, q) => (c.natural === false ? [] : [q]));
  const uniform = new Float64Array(S).fill(1 / S);
  const zero = new Float64Array(GATE_DIM);
  // One-hot starting points: a single component alone is always among the candidates, so the
  // learned row is never worse than the best single signal on the learning cases.
  const oneHots = Array.from({ length: S }, (_, c) => {
    const w = new Float64Array(S);
    w[c] = 1;
    return w;
  });
  let shared = searchRow(obj, all, uniform, zero, cfg, rng, oneHots);
  let theta: Float64Array = zero;
  const gated = cfg.fusion === 'gate' && roles.includes('session') && roles.includes('history');
  if (gated) {
    theta = searchGate(obj, all, shared, cfg.searchRounds);
    shared = searchRow(obj, all, shared, theta, { ...cfg, randomStarts: 0 }, rng);
  }
  const weights = new Float64Array(N_STAGES * S);
  const byStage: number[][] = Array.from({ length: N_STAGES }, () => []);
  const naturalByStage: number[][] = Array.from({ length: N_STAGES }, () => []);
  cases.forEach((c, q) => byStage[c.f.stage].push(q));
  for (const q of all) naturalByStage[cases[q].f.stage].push(q);
  const ownWeights = byStage.map((idx) => cfg.stageWeights && idx.length >= cfg.minStageCases);
  for (let s = 0; s < N_STAGES; s++) {
    // A stage's row is searched from the shared row, every one-hot row and random points: the
    // shared row is usually a local optimum of the dominant stage (cold), not of the others.
    const row = ownWeights[s] ? searchRow(obj, byStage[s], shared, theta, cfg, rng, oneHots) : shared;
    weights.set(row, s * S);
  }
  let final = 0;
  for (let s = 0; s < N_STAGES; s++)
    final +=
      obj.mean(naturalByStage[s], weights.subarray(s * S, (s + 1) * S), theta) * naturalByStage[s].length;
  const report: LearnReport = {
    uniform: obj.mean(all, uniform, zero),
    shared: obj.mean(all, shared, theta),
    final: all.length ? final / all.length : 0,
    stageCases: byStage.map((b) => b.length),
    ownWeights,
  };
  return { params: { weights, theta }, report };
}
