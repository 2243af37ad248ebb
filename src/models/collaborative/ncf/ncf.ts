/**
 * NCF / NeuMF — He, Liao, Zhang, Nie, Hu & Chua (2017), "Neural Collaborative Filtering", WWW:
 * a GMF tower (p_u ⊙ q_i) and an MLP tower over [m_u ; n_i] fused by one output layer, trained
 * with binary cross-entropy over sampled negatives and Adam (`training.ts`, tfjs); scoring is
 * plain TypeScript (`forward.ts`) from the weights alone.
 *
 * Unknown users (`Query.user === -1`): with a history they are **folded in** — the user's two
 * vectors start at the mean trained user and take `foldInSteps` Adam steps of the same weighted
 * BCE on their history items (positives, event-weighted) against `negatives` uniformly drawn
 * items each (seeded from the history, so the same query always gets the same scores), item
 * and tower weights fixed; with no history they get the mean user (scores close to a
 * popularity ranking). Cost of a fold-in: O(steps · |history| · (1+neg) · tower flops).
 *
 * Cost: training see `training.ts`; scoring O(nItems · (dg + Σ in_l·out_l)) per user.
 * Memory: (nUsers + nItems)·(dg + dm) floats + nItems · layers[0] cached for scoring.
 */
import { RecError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { historyWeights } from '../../common/csr.js';
import { AdamMoments, adamDense } from '../../neural/adam.js';
import type { ModelEntry } from '../../registry.js';
import type {
  EpochSession,
  FitContext,
  IterativeRecommender,
  ModelArtifact,
  Query,
  TrainData,
} from '../../types.js';
import { NcfConfigSchema, type NcfConfig } from './config.js';
import { NcfScorer, layerInputs, pairLogit, type NcfWeights } from './forward.js';
import { NcfTraining } from './training.js';
import { runEpochs } from '../../common/epochs.js';
import { requireFitted } from '../../common/fitted.js';

export { NcfConfigSchema, type NcfConfig } from './config.js';
export type { NcfWeights } from './forward.js';

/** Most recent distinct history items used by a fold-in. */
const FOLD_IN_MAX_ITEMS = 200;

export class NcfRecommender implements IterativeRecommender {
  readonly name = 'ncf';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: false,
    itemToItem: false,
    incremental: false,
  } as const;
  private w: NcfWeights | undefined;
  private scorer: NcfScorer | undefined;
  private meanUser: { pg: Float32Array; pm: Float32Array } | undefined;

  constructor(readonly config: NcfConfig) {}

  get defaultEpochs(): number {
    return this.config.epochs;
  }

  get nItems(): number {
    return this.w?.nItems ?? 0;
  }

  /** Trained weights (read-only view), undefined before fitting. */
  get weights(): NcfWeights | undefined {
    return this.w;
  }

  private setWeights(w: NcfWeights): void {
    this.w = w;
    this.scorer = undefined;
    const pg = new Float32Array(w.dg);
    const pm = new Float32Array(w.dm);
    for (let u = 0; u < w.nUsers; u++) {
      for (let k = 0; k < w.dg; k++) pg[k] += w.pg[u * w.dg + k] / w.nUsers;
      for (let k = 0; k < w.dm; k++) pm[k] += w.pm[u * w.dm + k] / w.nUsers;
    }
    this.meanUser = { pg, pm };
  }

  beginTraining(data: TrainData, ctx: FitContext): EpochSession {
    return new NcfTraining(this.config, data, ctx, (w) => this.setWeights(w));
  }

  /** Trains `config.epochs` epochs without validation (prefer `trainModel`). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.epochs);
  }

  private require(): NcfWeights {
    return requireFitted(this.w, this.name);
  }

  /**
   * The (GMF, MLP) user vectors of a query: the trained ones for a known user, a fold-in for an
   * unknown user with history, the mean user otherwise.
   */
  userVectors(q: Query): { pg: Float32Array; pm: Float32Array } {
    const w = this.require();
    const u = q.user;
    if (u >= 0 && u < w.nUsers)
      return { pg: w.pg.subarray(u * w.dg, (u + 1) * w.dg), pm: w.pm.subarray(u * w.dm, (u + 1) * w.dm) };
    const mean = this.meanUser!;
    if (this.config.foldInSteps === 0) return mean;
    const h = historyWeights(q.items, q.events, q.ts, q.time, w.nItems, this.config);
    if (h.items.length === 0) return mean;
    return this.foldIn(h.items, h.weights);
  }

  /** Fold-in of an unknown user (see the file header); items/weights as from `historyWeights`. */
  foldIn(items: Int32Array, weights: Float32Array): { pg: Float32Array; pm: Float32Array } {
    const w = this.require();
    let its = items;
    let wts = weights;
    if (its.length > FOLD_IN_MAX_ITEMS) {
      const order = Array.from(its.keys())
        .sort((a, b) => wts[b] - wts[a] || a - b)
        .slice(0, FOLD_IN_MAX_ITEMS);
      its = Int32Array.from(order, (k) => items[k]);
      wts = Float32Array.from(order, (k) => weights[k]);
    }
    let seed = its.length;
    for (const i of its) seed = (Math.imul(seed, 31) + i) | 0;
    const rng = new Rng(seed);
    const seen = new Set(its);
    const neg: number[] = [];
    for (let k = 0; k < its.length * this.config.negatives; k++) {
      let j = rng.int(w.nItems);
      for (let t = 0; t < 20 && seen.has(j) && seen.size < w.nItems; t++) j = rng.int(w.nItems);
      neg.push(j);
    }
    const pg = this.meanUser!.pg.slice();
    const pm = this.meanUser!.pm.slice();
    const x = new Float32Array(w.dg + w.dm);
    x.set(pg);
    x.set(pm, w.dg);
    const mom = new AdamMoments(x.length);
    const gPg = new Float32Array(w.dg);
    const gPm = new Float32Array(w.dm);
    const grad = new Float32Array(x.length);
    let wSum = 0;
    for (const v of wts) wSum += v;
    wSum += neg.length;
    for (let step = 1; step <= this.config.foldInSteps; step++) {
      grad.fill(0);
      const addPair = (item: number, label: number, weight: number): void => {
        gPg.fill(0);
        gPm.fill(0);
        const z = pairLogit(w, pg, pm, item, gPg, gPm);
        const d = (weight * (1 / (1 + Math.exp(-z)) - label)) / wSum; // ∂BCE/∂z
        for (let k = 0; k < w.dg; k++) grad[k] += d * gPg[k];
        for (let k = 0; k < w.dm; k++) grad[w.dg + k] += d * gPm[k];
      };
      for (let k = 0; k < its.length; k++) addPair(its[k], 1, wts[k]);
      for (const j of neg) addPair(j, 0, 1);
      adamDense(x, grad, mom, step, { lr: 0.01 });
      pg.set(x.subarray(0, w.dg));
      pm.set(x.subarray(w.dg));
    }
    return { pg, pm };
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const w = this.require();
    this.scorer ??= new NcfScorer(w);
    const n = w.nItems;
    for (let q = 0; q < queries.length; q++) {
      const { pg, pm } = this.userVectors(queries[q]);
      this.scorer.scoreAll(pg, pm, out.subarray(q * n, (q + 1) * n));
    }
  }

  toArtifact(): ModelArtifact {
    const w = this.require();
    const arrays: ModelArtifact['arrays'] = {
      pg: w.pg.slice(),
      qg: w.qg.slice(),
      pm: w.pm.slice(),
      qm: w.qm.slice(),
      h: w.h.slice(),
    };
    w.W.forEach((a, l) => (arrays[`W${l}`] = a.slice()));
    w.b.forEach((a, l) => (arrays[`b${l}`] = a.slice()));
    return {
      model: this.name,
      config: this.config,
      state: { nUsers: w.nUsers, nItems: w.nItems, dg: w.dg, dm: w.dm, layers: w.layers.slice() },
      arrays,
    };
  }

  static fromArtifact(a: ModelArtifact, config: NcfConfig): NcfRecommender {
    const st = a.state as { nUsers?: number; nItems?: number; dg?: number; dm?: number; layers?: number[] };
    const { nUsers, nItems, dg, dm, layers } = st;
    if (!(
      Number(nUsers) >= 0 &&
      Number(nItems) > 0 &&
      Number(dg) > 0 &&
      Number(dm) > 0 &&
      Array.isArray(layers) &&
      layers.length > 0
    ))
      throw new RecError(
        'ARTIFACT_INVALID',
        'ncf artifact: state nUsers/nItems/dg/dm/layers missing; retrain the model',
      );
    const f32 = (k: string, size: number): Float32Array => {
      const v = a.arrays[k];
      if (!(v instanceof Float32Array) || v.length !== size)
        throw new RecError(
          'ARTIFACT_INVALID',
          `ncf artifact: array "${k}" is missing or not ${size} floats; retrain the model`,
        );
      return v;
    };
    const ins = layerInputs({ dm: dm!, layers });
    const m = new NcfRecommender(config);
    m.setWeights({
      nUsers: nUsers!,
      nItems: nItems!,
      dg: dg!,
      dm: dm!,
      layers,
      pg: f32('pg', nUsers! * dg!),
      qg: f32('qg', nItems! * dg!),
      pm: f32('pm', nUsers! * dm!),
      qm: f32('qm', nItems! * dm!),
      W: layers.map((n, l) => f32(`W${l}`, ins[l] * n)),
      b: layers.map((n, l) => f32(`b${l}`, n)),
      h: f32('h', dg! + layers[layers.length - 1] + 1),
    });
    return m;
  }
}

/** Registry entry `ncf` (collaborative family; planted check: groups). */
export const ncfEntry: ModelEntry = {
  name: 'ncf',
  family: 'collaborative',
  description:
    'NCF / NeuMF: GMF + MLP towers, binary cross-entropy over sampled negatives, Adam (He et al. 2017)',
  planted: 'groups',
  configSchema: NcfConfigSchema,
  create: (c) => new NcfRecommender(c as NcfConfig),
  fromArtifact: (a, c) => NcfRecommender.fromArtifact(a, c as NcfConfig),
};
