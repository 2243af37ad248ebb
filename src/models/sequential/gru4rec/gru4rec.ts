/**
 * GRU4Rec (Hidasi, Karatzoglou, Baltrunas & Tikk 2016, "Session-based Recommendations with
 * Recurrent Neural Networks"; Hidasi & Karatzoglou 2018, "Recurrent Neural Networks with Top-k
 * Gains for Session-based Recommendations"), following the official implementation
 * (github.com/hidasib/GRU4Rec): session-parallel mini-batches, GRU layers over the constrained
 * item embedding, BPR-max or cross-entropy over the in-batch targets plus `nSample` negatives drawn
 * once per mini-batch ∝ popularity^α, dropout, Adagrad with momentum, sparse updates of the
 * sampled rows.
 *
 * Training runs on TensorFlow.js (`training.ts`); inference is plain TypeScript (`forward.ts`)
 * from the weights alone, so a loaded artifact needs no tfjs. A query's sequence is its current
 * session (`items[sessionStart..]`), or its whole history when the session is empty; with no known
 * item the scores are the output bias By.
 *
 * Cost: see `training.ts` per step; scoring O(len · Σ 3h(in + h) + nItems · d) per query.
 * Memory: nItems · d floats (×3 while training: Adagrad accumulator and velocity).
 */
import { RecError } from '../../../core/errors.js';
import type { FitContext, IterativeRecommender, ModelArtifact, Query, TrainData } from '../../types.js';
import type { Gru4RecConfig } from './config.js';
import { scoreItems, scoreItemsBatch, sessionState, type GruWeights } from './forward.js';
import { Gru4RecTraining } from './training.js';
import { runEpochs } from '../../common/epochs.js';
import { requireFitted } from '../../common/fitted.js';

export class Gru4RecRecommender implements IterativeRecommender {
  readonly name = 'gru4rec';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private w: GruWeights | undefined;

  constructor(readonly config: Gru4RecConfig) {}

  get defaultEpochs(): number {
    return this.config.epochs;
  }

  get nItems(): number {
    return this.w?.by.length ?? 0;
  }

  /** Trained weights (read-only view), e.g. for benchmarks; undefined before fitting. */
  get weights(): GruWeights | undefined {
    return this.w;
  }

  beginTraining(data: TrainData, ctx: FitContext): Gru4RecTraining {
    return new Gru4RecTraining(this.config, data, ctx, (w) => {
      this.w = w;
    });
  }

  /** Trains `config.epochs` epochs without validation (prefer `trainModel`). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.epochs);
  }

  private requireFitted(): GruWeights {
    return requireFitted(this.w, this.name);
  }

  /** Hidden state of the query's sequence (null when it has no known item). */
  queryState(q: Query): Float32Array | null {
    const w = this.requireFitted();
    const n = q.items.length;
    const start = q.sessionStart > 0 && q.sessionStart < n ? q.sessionStart : 0;
    return sessionState(w, q.items, start, n) ?? (start > 0 ? sessionState(w, q.items, 0, start) : null);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const w = this.requireFitted();
    const n = this.nItems;
    if (queries.length === 1) scoreItems(w, this.queryState(queries[0]), out.subarray(0, n));
    else
      scoreItemsBatch(
        w,
        queries.map((q) => this.queryState(q)),
        out,
      );
  }

  toArtifact(): ModelArtifact {
    const w = this.requireFitted();
    const arrays: ModelArtifact['arrays'] = { wy: w.wy.slice(), by: w.by.slice() };
    w.layers.forEach((_, l) => {
      arrays[`wx${l}`] = w.wx[l].slice();
      arrays[`wrz${l}`] = w.wrz[l].slice();
      arrays[`wh${l}`] = w.wh[l].slice();
      arrays[`bh${l}`] = w.bh[l].slice();
    });
    return {
      model: this.name,
      config: this.config,
      state: { layers: w.layers.slice(), nItems: w.by.length },
      arrays,
    };
  }

  static fromArtifact(a: ModelArtifact, config: Gru4RecConfig): Gru4RecRecommender {
    const layers = a.state.layers as number[] | undefined;
    const nItems = Number(a.state.nItems);
    const f32 = (k: string, size: number): Float32Array => {
      const v = a.arrays[k];
      if (!(v instanceof Float32Array) || v.length !== size)
        throw new RecError(
          'ARTIFACT_INVALID',
          `gru4rec artifact: array "${k}" is missing or not ${size} floats; retrain the model`,
        );
      return v;
    };
    if (!Array.isArray(layers) || layers.length === 0 || !(nItems > 0))
      throw new RecError(
        'ARTIFACT_INVALID',
        'gru4rec artifact: state.layers / state.nItems missing; retrain the model',
      );
    const d = layers[layers.length - 1];
    const m = new Gru4RecRecommender(config);
    m.w = {
      layers,
      wx: layers.map((h, l) => f32(`wx${l}`, (l === 0 ? d : layers[l - 1]) * 3 * h)),
      wrz: layers.map((h, l) => f32(`wrz${l}`, h * 2 * h)),
      wh: layers.map((h, l) => f32(`wh${l}`, h * h)),
      bh: layers.map((h, l) => f32(`bh${l}`, 3 * h)),
      wy: f32('wy', nItems * d),
      by: f32('by', nItems),
    };
    return m;
  }
}
