/**
 * Item2Vec (Barkan & Koenigstein 2016, "Item2Vec: Neural Item Embedding for Collaborative
 * Filtering"): skip-gram with negative sampling (Mikolov et al. 2013) over sessions — each session
 * (or, with `source: 'history'`, each user's whole history) is a sentence of items in time order.
 * Training is in `training.ts` (Hogwild threads) and `sgns-kernel.ts` (the SGNS step).
 *
 * Scoring: the query vector is the recency-weighted sum of the unit input vectors of the current
 * session's items (the whole history when the session has no known item); an item's score is its
 * cosine with that vector. Items without a vector (below `minCount`) score −1; a query with no
 * known item at all (a cold user with no history) gets all-zero scores, i.e. no preference.
 *
 * Cost: training O(epochs · tokens · window · (negative + 1) · dim); scoring O(nItems · dim) per
 * query; memory 2 · nItems · dim float32 while training, nItems · dim × 2 (raw + unit) after.
 */
import { RecError } from '../../../core/errors.js';
import type {
  EpochSession,
  FitContext,
  IterativeRecommender,
  ModelArtifact,
  Query,
  TrainData,
} from '../../types.js';
import type { Item2VecConfig } from './config.js';
import { Item2VecTraining, type TrainedVectors } from './training.js';
import { runEpochs } from '../../common/epochs.js';
import { requireFitted } from '../../common/fitted.js';

/** Nearest items of one item, best first. */
export interface SimilarItems {
  items: Int32Array;
  scores: Float32Array;
}

export class Item2VecRecommender implements IterativeRecommender {
  readonly name = 'item2vec';
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: true,
    incremental: false,
  } as const;
  private raw: Float32Array | undefined;
  private unit: Float32Array | undefined;
  private inVocab: Uint8Array | undefined;
  private counts: Float64Array | undefined;
  private qv: Float64Array;

  constructor(readonly config: Item2VecConfig) {
    this.qv = new Float64Array(config.dim);
  }

  get defaultEpochs(): number {
    return this.config.epochs;
  }

  get nItems(): number {
    return this.inVocab?.length ?? 0;
  }

  get dim(): number {
    return this.config.dim;
  }

  beginTraining(data: TrainData, ctx: FitContext): EpochSession & { readonly threads: number } {
    return new Item2VecTraining(this.config, data, ctx, (v) => this.setVectors(v));
  }

  /** Trains `config.epochs` epochs without validation or early stopping (prefer `trainModel`). */
  async fit(data: TrainData, ctx: FitContext): Promise<void> {
    await runEpochs(this.beginTraining(data, ctx), this.config.epochs);
  }

  private setVectors(v: TrainedVectors): void {
    const n = v.inVocab.length;
    const d = this.config.dim;
    this.raw = v.syn0;
    this.inVocab = v.inVocab;
    this.counts = v.counts;
    const unit = this.unit?.length === n * d ? this.unit : new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += v.syn0[i * d + j] * v.syn0[i * d + j];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < d; j++) unit[i * d + j] = v.syn0[i * d + j] * inv;
    }
    this.unit = unit;
  }

  private requireFitted(): Float32Array {
    return requireFitted(this.unit, this.name);
  }

  /** Unit-length item vectors, row-major nItems × dim (zero rows for items without a vector), for the ANN index. */
  itemVectors(): Float32Array {
    return this.requireFitted().slice();
  }

  /** The same vectors without a copy (read only: the model scores with them). */
  unitVectors(): Readonly<Float32Array> {
    return this.requireFitted();
  }

  /** True when `item` has a vector. */
  hasVector(item: number): boolean {
    return item >= 0 && item < this.nItems && this.inVocab![item] === 1;
  }

  /**
   * Adds the recency-weighted unit vectors of `items[from..to)` into `qv`; returns how many items
   * had a vector.
   */
  private accumulate(items: Int32Array, from: number, to: number, qv: Float64Array): number {
    const unit = this.unit!;
    const d = this.config.dim;
    let used = 0;
    let w = 1;
    for (let j = to - 1; j >= from; j--) {
      const it = items[j];
      if (this.hasVector(it)) {
        for (let k = 0; k < d; k++) qv[k] += w * unit[it * d + k];
        used++;
      }
      w *= this.config.recencyDecay;
    }
    return used;
  }

  /**
   * The query's vector into `qv` (length dim): the normalised recency-weighted sum of the current
   * session's unit vectors (the earlier history when the session has none). False when no item of
   * the query has a vector (then `qv` is not meaningful). Used by scoring and by the serving path.
   */
  queryVector(q: Query, qv: Float64Array): boolean {
    this.requireFitted();
    const d = this.config.dim;
    qv.fill(0);
    const n = q.items.length;
    const start = q.sessionStart >= 0 && q.sessionStart < n ? q.sessionStart : 0;
    let used = this.accumulate(q.items, start, n, qv);
    if (used === 0 && start > 0) used = this.accumulate(q.items, 0, start, qv);
    let norm = 0;
    for (let k = 0; k < d; k++) norm += qv[k] * qv[k];
    if (used === 0 || norm === 0) return false;
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < d; k++) qv[k] *= inv;
    return true;
  }

  /** Score of `item` for a query vector from {@link queryVector}: its cosine, −1 without a vector. */
  scoreItem(qv: Float64Array, item: number): number {
    if (!this.inVocab![item]) return -1;
    const unit = this.unit!;
    const d = this.config.dim;
    const o = item * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += unit[o + k] * qv[k];
    return s;
  }

  /** Cosine of two items' vectors (0 when either has none). */
  cosine(a: number, b: number): number {
    const unit = this.requireFitted();
    if (!this.hasVector(a) || !this.hasVector(b)) return 0;
    const d = this.config.dim;
    let s = 0;
    for (let k = 0; k < d; k++) s += unit[a * d + k] * unit[b * d + k];
    return s;
  }

  private scoreQuery(q: Query, row: Float32Array): void {
    if (!this.queryVector(q, this.qv)) {
      row.fill(0);
      return;
    }
    for (let i = 0; i < row.length; i++) row[i] = this.scoreItem(this.qv, i);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    this.requireFitted();
    const n = this.nItems;
    for (let q = 0; q < queries.length; q++) this.scoreQuery(queries[q], out.subarray(q * n, (q + 1) * n));
  }

  /** The `k` items most similar to `item` (cosine of the input vectors, the item itself excluded). */
  similarItems(item: number, k: number): SimilarItems {
    const unit = this.requireFitted();
    if (!Number.isInteger(item) || item < 0 || item >= this.nItems)
      throw new RecError(
        'UNKNOWN_ITEM',
        `Item index ${item} is outside the trained catalogue (0..${this.nItems - 1})`,
      );
    const d = this.config.dim;
    const best: { i: number; s: number }[] = [];
    if (!this.hasVector(item) || k <= 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
    for (let i = 0; i < this.nItems; i++) {
      if (i === item || !this.inVocab![i]) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += unit[i * d + j] * unit[item * d + j];
      if (best.length === k && s <= best[k - 1].s) continue;
      let p = best.length < k ? best.length : k - 1;
      while (p > 0 && best[p - 1].s < s) p--;
      best.splice(p, 0, { i, s });
      if (best.length > k) best.pop();
    }
    return { items: Int32Array.from(best, (b) => b.i), scores: Float32Array.from(best, (b) => b.s) };
  }

  toArtifact(): ModelArtifact {
    this.requireFitted();
    return {
      model: this.name,
      config: this.config,
      state: { dim: this.config.dim },
      arrays: { vectors: this.raw!.slice(), inVocab: this.inVocab!.slice(), counts: this.counts!.slice() },
    };
  }

  static fromArtifact(a: ModelArtifact, config: Item2VecConfig): Item2VecRecommender {
    const m = new Item2VecRecommender(config);
    const vectors = a.arrays.vectors as Float32Array;
    const inVocab = a.arrays.inVocab as Uint8Array;
    if (!vectors || !inVocab || vectors.length !== inVocab.length * config.dim)
      throw new RecError(
        'ARTIFACT_INVALID',
        `item2vec artifact: vectors do not match ${inVocab?.length} items × dim ${config.dim}`,
      );
    m.setVectors({
      syn0: vectors,
      inVocab,
      counts: (a.arrays.counts as Float64Array) ?? new Float64Array(inVocab.length),
    });
    return m;
  }
}
