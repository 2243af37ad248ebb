/**
 * SASRec (Kang & McAuley 2018, "Self-Attentive Sequential Recommendation"): causal self-attention
 * blocks (layer norm, dropout, point-wise feed-forward) over item + learned positional
 * embeddings, output scores from the shared item embedding. Trained with cross-entropy over
 * ≥ 1,000 negatives shared by the mini-batch, or the full softmax on small catalogues (Klenitskiy
 * & Vasilev 2023, "Turning Dross Into Gold Loss: is BERT4Rec really better than SASRec?").
 *
 * Training on TensorFlow.js (`training.ts`); inference in plain TypeScript (`forward.ts`) from the
 * weights alone. Query input: the current session (`items[sessionStart..]`, or the whole history
 * when it is empty) with `source: 'sessions'`, the whole history with `source: 'history'`; the last
 * `maxLen` items. No known item → all-zero scores (no preference).
 *
 * Cost: training see `training.ts`; scoring O(blocks · (n·d² + n²·d) + nItems · d) per query.
 * Memory: (nItems + 1) · d floats (×3 while training: Adam moments).
 */
import { RecError } from '../../../core/errors.js';
import { artifactToPlain, plainToArtifact } from '../../neural/index.js';
import type { FitContext, IterativeRecommender, ModelArtifact, Query, TrainData } from '../../types.js';
import type { SasRecConfig } from './config.js';
import { encodeLast, scoreItems, scoreItemsBatch, type SasWeights } from './forward.js';
import { BLOCK_KEYS } from './graph.js';
import { SasRecTraining, toSasWeights } from './training.js';
import { runEpochs } from '../../common/epochs.js';
import { requireFitted } from '../../common/fitted.js';

type Plain = Record<string, { values: Float32Array; shape: number[] }>;

export class SasRecRecommender implements IterativeRecommender {
  readonly name = 'sasrec';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private plain: Plain | undefined;
  private w: SasWeights | undefined;

  constructor(readonly config: SasRecConfig) {}

  get defaultEpochs(): number {
    return this.config.epochs;
  }

  get nItems(): number {
    return this.w ? this.w.emb.length / this.w.d - 1 : 0;
  }

  private setPlain(p: Plain): void {
    this.plain = p;
    this.w = toSasWeights(this.config, p);
  }

  beginTraining(data: TrainData, ctx: FitContext): SasRecTraining {
    return new SasRecTraining(this.config, data, ctx, (p) => this.setPlain(p));
  }

  /** Trains `config.epochs` epochs without validation (prefer `trainModel`). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.epochs);
  }

  private requireFitted(): SasWeights {
    return requireFitted(this.w, this.name);
  }

  /** The known items the query is encoded from (at most maxLen, oldest first). */
  queryItems(q: Query): number[] {
    const n = q.items.length;
    const nItems = this.nItems;
    const pick = (from: number): number[] => {
      const out: number[] = [];
      for (let t = from; t < n; t++) if (q.items[t] >= 0 && q.items[t] < nItems) out.push(q.items[t]);
      return out;
    };
    const start =
      this.config.source === 'sessions' && q.sessionStart > 0 && q.sessionStart < n ? q.sessionStart : 0;
    let items = pick(start);
    if (items.length === 0 && start > 0) items = pick(0);
    return items.slice(Math.max(0, items.length - this.config.maxLen));
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const w = this.requireFitted();
    const n = this.nItems;
    const states = queries.map((q) => {
      const items = this.queryItems(q);
      return items.length ? encodeLast(w, items) : null;
    });
    if (states.length === 1) scoreItems(w, states[0], out.subarray(0, n));
    else scoreItemsBatch(w, states, out);
  }

  toArtifact(): ModelArtifact {
    this.requireFitted();
    const { arrays, shapes } = plainToArtifact(this.plain!);
    return { model: this.name, config: this.config, state: { shapes }, arrays };
  }

  static fromArtifact(a: ModelArtifact, config: SasRecConfig): SasRecRecommender {
    const names = [
      'emb',
      'pos',
      'lnfG',
      'lnfB',
      ...Array.from({ length: config.blocks }, (_, k) => BLOCK_KEYS.map((key) => `b${k}.${key}`)).flat(),
    ];
    const p = artifactToPlain(a, names) as Plain;
    if (p.emb.shape[1] !== config.hiddenUnits || p.pos.shape[0] !== config.maxLen)
      throw new RecError(
        'ARTIFACT_INVALID',
        'sasrec artifact: weight shapes do not match the config; retrain the model',
      );
    const m = new SasRecRecommender(config);
    m.setPlain(p);
    return m;
  }
}
