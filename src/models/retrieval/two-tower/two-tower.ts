/**
 * Two-Tower retrieval — Yi et al. (2019), "Sampling-Bias-Corrected Neural Modeling for Large
 * Corpus Item Recommendations", RecSys: a query tower (recency- and event-weighted pooling of the
 * history's item embeddings plus a funnel-stage embedding) and an item tower (id embedding plus
 * category embedding), both L2-normalised, trained with in-batch softmax negatives, temperature τ
 * and the log-popularity (logQ) correction (`training.ts`, tfjs). Item vectors are exported
 * normalised (`itemVectors()`) and loaded into an ANN index (`../ann/`) for serving-time
 * candidate generation (`candidates`); `scoreBatch` is the exact full scoring used by evaluation.
 *
 * The query tower is inductive: any user — known or not — is represented by their history, so
 * cold users with a history need no fold-in; an empty history gives the `cold` stage vector
 * (trained on every user's first event). Only the category of an item's leaf is used (TrainData
 * carries no category tree; a path embedding would sum the ancestors' rows).
 *
 * Cost: training see `training.ts`; a query O(L·d + nItems·d) exact, O(L·d + ANN search) served.
 * Memory: 2·nItems·d floats (item vectors V and history embeddings H) + the ANN index.
 */
import { RecError } from '../../../core/errors.js';
import { weightTable } from '../../common/event-weights.js';
import type { ModelEntry } from '../../registry.js';
import type {
  EpochSession,
  FitContext,
  IterativeRecommender,
  ModelArtifact,
  Query,
  TrainData,
} from '../../types.js';
import { buildAnnIndex, type AnnIndex, type AnnResult } from '../ann/index.js';
import { TwoTowerConfigSchema, type TwoTowerConfig } from './config.js';
import { N_STAGES, historySlots, stageOf } from './features.js';
import { itemTower, queryVector, scoreItems } from './tower.js';
import { TwoTowerTraining, type TwoTowerParams } from './training.js';
import { runEpochs } from '../../common/epochs.js';
import { requireFitted } from '../../common/fitted.js';

export { TwoTowerConfigSchema, type TwoTowerConfig } from './config.js';

/** What serving needs: normalised item vectors, history embeddings and stage embeddings. */
interface Served {
  readonly V: Float32Array;
  readonly H: Float32Array;
  readonly S: Float32Array;
  readonly nItems: number;
}

export class TwoTowerRecommender implements IterativeRecommender {
  readonly name = 'two-tower';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private s: Served | undefined;
  private index: AnnIndex | undefined;
  private readonly ew: Float64Array;

  constructor(readonly config: TwoTowerConfig) {
    this.ew = weightTable(config.eventWeights);
  }

  get defaultEpochs(): number {
    return this.config.epochs;
  }

  get nItems(): number {
    return this.s?.nItems ?? 0;
  }

  private setParams(p: TwoTowerParams): void {
    this.s = {
      V: itemTower(p.E, this.config.categoryFeature ? p.C : null, p.itemCat, p.dim),
      H: p.H,
      S: p.S,
      nItems: p.nItems,
    };
    this.index = undefined;
  }

  beginTraining(data: TrainData, ctx: FitContext): EpochSession {
    return new TwoTowerTraining(this.config, data, ctx, (p) => this.setParams(p));
  }

  /** Trains `config.epochs` epochs without validation (prefer `trainModel`). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.epochs);
  }

  private require(): Served {
    return requireFitted(this.s, this.name);
  }

  /** Normalised item vectors, nItems × dim row-major (the model's own array: do not modify). */
  itemVectors(): Float32Array {
    return this.require().V;
  }

  /** The normalised query vector of `q` (its whole history, most recent `historyLength` items). */
  queryVector(q: Query, out?: Float32Array): Float32Array {
    const s = this.require();
    const { dim, historyLength, recencyDecay } = this.config;
    const ids = new Int32Array(historyLength);
    const wts = new Float32Array(historyLength);
    const n = historySlots(
      q.items,
      q.events,
      null,
      0,
      q.items.length,
      s.nItems,
      historyLength,
      recencyDecay,
      this.ew,
      ids,
      wts,
    );
    let stage = -1;
    if (this.config.stageFeature) {
      const rows = Int32Array.from(q.items.keys());
      stage = stageOf(q.events, q.ts, q.items, rows, Math.max(0, rows.length - 200), rows.length, q.time);
    }
    return queryVector(s.H, s.S, dim, ids, wts, n, stage, out);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const s = this.require();
    const n = s.nItems;
    const qv = new Float32Array(this.config.dim);
    for (let q = 0; q < queries.length; q++)
      scoreItems(s.V, this.queryVector(queries[q], qv), this.config.dim, out.subarray(q * n, (q + 1) * n));
  }

  /** The ANN index over the item vectors (built on first use, per `config.ann`). */
  annIndex(): AnnIndex {
    const s = this.require();
    const a = this.config.ann;
    this.index ??= buildAnnIndex(a.kind, s.V, this.config.dim, {
      connectivity: a.connectivity,
      expansionAdd: a.expansionAdd,
      expansionSearch: a.expansionSearch,
    });
    return this.index;
  }

  /** Serving-time candidates: the `n` items nearest to the query vector through the ANN index. */
  candidates(q: Query, n: number): AnnResult {
    return this.annIndex().search(this.queryVector(q), n);
  }

  toArtifact(): ModelArtifact {
    const s = this.require();
    return {
      model: this.name,
      config: this.config,
      state: { nItems: s.nItems, dim: this.config.dim },
      arrays: { V: s.V.slice(), H: s.H.slice(), S: s.S.slice() },
    };
  }

  static fromArtifact(a: ModelArtifact, config: TwoTowerConfig): TwoTowerRecommender {
    const nItems = Number(a.state.nItems);
    const d = config.dim;
    if (!(nItems > 0) || Number(a.state.dim) !== d)
      throw new RecError(
        'ARTIFACT_INVALID',
        'two-tower artifact: state nItems/dim missing or not matching the config; retrain the model',
      );
    const f32 = (k: string, size: number): Float32Array => {
      const v = a.arrays[k];
      if (!(v instanceof Float32Array) || v.length !== size)
        throw new RecError(
          'ARTIFACT_INVALID',
          `two-tower artifact: array "${k}" is missing or not ${size} floats; retrain the model`,
        );
      return v;
    };
    const m = new TwoTowerRecommender(config);
    m.s = { V: f32('V', nItems * d), H: f32('H', nItems * d), S: f32('S', N_STAGES * d), nItems };
    return m;
  }
}

/** Registry entry `two-tower` (retrieval family; planted check: groups). */
export const twoTowerEntry: ModelEntry = {
  name: 'two-tower',
  family: 'retrieval',
  description:
    'Two-Tower retrieval: history-pooling query tower + id/category item tower, in-batch softmax with logQ correction (Yi et al. 2019); ANN candidates',
  planted: 'groups',
  configSchema: TwoTowerConfigSchema,
  create: (c) => new TwoTowerRecommender(c as TwoTowerConfig),
  fromArtifact: (a, c) => TwoTowerRecommender.fromArtifact(a, c as TwoTowerConfig),
};
