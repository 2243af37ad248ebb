/**
 * Serving views of the vector components (ALS, Item2Vec): the query vector searched in an ANN
 * index over the item vectors (`retrieval/ann`, usearch HNSW), the results re-scored with the
 * model's own arithmetic and cut to N (see `serve-components.ts`).
 */
import type { AlsRecommender } from '../collaborative/als/als.js';
import { historyWeights } from '../common/csr.js';
import type { Item2VecRecommender } from '../content/item2vec/item2vec.js';
import { buildAnnIndex, type AnnIndex } from '../retrieval/ann/index.js';
import type { Query } from '../types.js';
import type { ComponentView } from './features.js';
import { topOfList, ZERO_VIEW, type ComponentServeOptions, type ComponentServer } from './serve-common.js';
import { topNOfNearlySorted } from './top-n.js';

abstract class VectorServer implements ComponentServer {
  readonly kind = 'ann';
  protected abstract readonly index: AnnIndex;
  constructor(protected readonly opts: ComponentServeOptions) {}

  abstract view(q: Query): ComponentView;

  /** Index key → item. */
  protected abstract itemOf(key: number): number;

  /** Exact scores (the model's arithmetic) of `items` for the query of the last `view`. */
  protected abstract exact(items: Int32Array, out: Float32Array): void;

  protected annTop(qv: Float32Array, N: number, skip: Uint8Array): Int32Array {
    const m = Math.min(this.index.size, Math.ceil(N * this.opts.oversample) + 16);
    const res = this.index.search(qv, m);
    let c = 0;
    const items = new Int32Array(res.keys.length);
    for (let r = 0; r < res.keys.length; r++) if (res.keys[r] >= 0) items[c++] = this.itemOf(res.keys[r]);
    const found = items.subarray(0, c);
    const vals = new Float32Array(c);
    this.exact(found, vals);
    return topNOfNearlySorted(found, vals, N, skip);
  }
}

/** ALS: score(i) = x_q · v_i, x_q the trained user factor or the fold-in of the history. */
export class AlsServer extends VectorServer {
  protected readonly index: AnnIndex;
  private readonly U: Float32Array;
  private readonly V: Float32Array;
  private readonly k: number;
  /** The query factor of the last `view`. */
  private x: Float32Array = new Float32Array(0);

  constructor(
    private readonly model: AlsRecommender,
    opts: ComponentServeOptions,
  ) {
    super(opts);
    const a = model.toArtifact().arrays;
    this.U = a.userFactors as Float32Array;
    this.V = a.itemFactors as Float32Array;
    this.k = model.config.factors;
    this.index = buildAnnIndex(opts.ann, this.V, this.k, {
      expansionSearch: opts.expansionSearch,
      connectivity: opts.connectivity,
    });
  }

  protected itemOf(key: number): number {
    return key;
  }

  view(q: Query): ComponentView {
    const { U, V, k } = this;
    const nUsers = U.length / k;
    const n = V.length / k;
    let x: Float32Array | undefined;
    if (q.user >= 0 && q.user < nUsers) x = U.subarray(q.user * k, (q.user + 1) * k);
    else {
      const h = historyWeights(q.items, q.events, q.ts, q.time, n, this.model.config);
      x = h.items.length > 0 ? this.model.recalculateUser(h.items, h.weights) : undefined;
    }
    if (!x || x.every((v) => v === 0)) return ZERO_VIEW;
    const xq = (this.x = x);
    const val = (i: number): number => {
      let s = 0;
      const vo = i * k;
      for (let a = 0; a < k; a++) s += xq[a] * V[vo + a];
      return Math.fround(s);
    };
    return {
      top: (N, skip) => this.annTop(xq, N, skip),
      scores: (items, out) => {
        for (let j = 0; j < items.length; j++) out[j] = val(items[j]);
      },
    };
  }

  protected exact(items: Int32Array, out: Float32Array): void {
    const { V, k, x } = this;
    for (let j = 0; j < items.length; j++) {
      let s = 0;
      const vo = items[j] * k;
      for (let a = 0; a < k; a++) s += x[a] * V[vo + a];
      out[j] = s;
    }
  }
}

/** Item2Vec: cosine of the unit item vectors with the recency-weighted session vector; −1 without a vector. */
export class Item2VecServer extends VectorServer {
  protected readonly index: AnnIndex;
  private readonly inVocab: Uint8Array;
  private readonly vocab: Int32Array;
  /** The normalised query vector of the last `view`. */
  private readonly qv: Float64Array;

  constructor(
    private readonly model: Item2VecRecommender,
    opts: ComponentServeOptions,
  ) {
    super(opts);
    const unit = model.unitVectors();
    const d = model.config.dim;
    const n = model.nItems;
    const vocab: number[] = [];
    for (let i = 0; i < n; i++) if (model.hasVector(i)) vocab.push(i);
    this.vocab = Int32Array.from(vocab);
    this.inVocab = new Uint8Array(n);
    for (const i of vocab) this.inVocab[i] = 1;
    const rows = new Float32Array(Math.max(1, vocab.length) * d);
    vocab.forEach((i, r) => rows.set(unit.subarray(i * d, (i + 1) * d), r * d));
    this.index = buildAnnIndex(opts.ann, rows, d, {
      expansionSearch: opts.expansionSearch,
      connectivity: opts.connectivity,
    });
    this.qv = new Float64Array(d);
  }

  protected itemOf(key: number): number {
    return this.vocab[key];
  }

  view(q: Query): ComponentView {
    const { model, qv } = this;
    if (this.vocab.length === 0 || !model.queryVector(q, qv)) return ZERO_VIEW;
    const qf = Float32Array.from(qv);
    const val = (i: number): number => Math.fround(model.scoreItem(qv, i));
    return {
      top: (N, skip) => (this.vocab.length > 2 * N ? this.annTop(qf, N, skip) : this.smallTop(val, N, skip)),
      scores: (items, out) => {
        for (let j = 0; j < items.length; j++) out[j] = val(items[j]);
      },
    };
  }

  protected exact(items: Int32Array, out: Float32Array): void {
    for (let j = 0; j < items.length; j++) out[j] = this.model.scoreItem(this.qv, items[j]);
  }

  /** Few vectors: every vocabulary item, then items without a vector (−1, lower index first). */
  private smallTop(val: (i: number) => number, N: number, skip: Uint8Array): Int32Array {
    const items = Array.from(this.vocab);
    for (let i = 0, extra = 0; i < this.inVocab.length && extra < N; i++) {
      if (this.inVocab[i] === 1 || skip[i]) continue;
      items.push(i);
      extra++;
    }
    return topOfList(items, val, N, skip);
  }
}
