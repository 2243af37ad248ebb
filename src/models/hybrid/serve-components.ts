/**
 * Sparse serving views of the hybrid's components: each gives, for one query, the component's
 * top N (exactly what `topN` of its full score row gives, see `features.ts` `ComponentView`) and
 * its raw score of any item — without scoring the whole catalogue where the model allows it:
 *
 * - `popular` / `popular-category`: precomputed popularity orders (global and per category); the
 *   top N is merged from the prefixes of the query's categories and of the global order.
 * - `itemcf`, `sknn` / `vsknn`: their sparse neighbour sums plus `popularityTieBreak · pop`; the
 *   top N comes from the items the sum touches and a prefix of the precomputed popularity order.
 * - `als`, `item2vec`: the query vector searched in an ANN index over the item vectors
 *   (`retrieval/ann`, usearch HNSW); the `oversample · N` results are re-scored with the model's own
 *   arithmetic and cut to N. Exact with the `exact` index; with HNSW the list can miss items.
 * - anything else: the component's full `scoreBatch` (exact; the reference cost).
 *
 * The scores are bit-identical to the models' `scoreBatch` (same operations in the same order), so
 * with exact lists the hybrid's serving features equal its full-path features. The model state is
 * read through public API (`toArtifact`, exported kernels); nothing is mutated.
 *
 * Cost per query: popular O(#categories · N); itemcf O(Σ_h |neighbours(h)| + N); sknn as its kernel
 * (+ one O(nItems) scan for the touched items); ALS / item2vec one ANN search + O(oversample·N·dim).
 * Memory: popularity orders O(nItems) per component; ANN indexes ≈ nItems · (4·dim + 144) bytes;
 * ALS factors are copied once by `toArtifact` (users + items).
 */
import { PopularRecommender } from '../baselines/popular/popular.js';
import { AlsRecommender } from '../collaborative/als/als.js';
import { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import { ProfileScratch } from '../collaborative/itemcf/query-profile.js';
import { historyWeights } from '../common/csr.js';
import { weightTable } from '../common/event-weights.js';
import { Item2VecRecommender } from '../content/item2vec/item2vec.js';
import { buildAnnIndex, type AnnIndex, type AnnKind } from '../retrieval/ann/index.js';
import { SknnScorer } from '../sequential/sknn/neighbours.js';
import { SessionKnnRecommender, currentSession } from '../sequential/sknn/sknn.js';
import type { Query, Recommender } from '../types.js';
import { isConstant, type ComponentView } from './features.js';
import { TopNScratch, scoreOrder, topN, topNOf, topNOfNearlySorted } from './top-n.js';

export interface ComponentServeOptions {
  /** ANN backend of the vector components (default `usearch`). */
  ann: AnnKind;
  /** ANN results fetched per list: oversample · N + 16 (default 1; `bench/api/serve-recall.ts`). */
  oversample: number;
  /** usearch `ef` at search time (default 128; the search uses at least the number asked for). */
  expansionSearch: number;
  /** usearch graph degree M (default 32: on the demo's ALS factors recall@100 0.95 vs 0.91 at 16, same search time). */
  connectivity: number;
}

export const DEFAULT_COMPONENT_SERVE_OPTIONS: ComponentServeOptions = {
  ann: 'usearch',
  oversample: 1,
  expansionSearch: 128,
  connectivity: 32,
};

/** One component's serving view factory. `view(q)` is valid until the next `view` call. */
export interface ComponentServer {
  /** `sparse` (neighbour lists / popularity orders), `ann` (vector search) or `dense` (full scoring). */
  readonly kind: 'sparse' | 'ann' | 'dense';
  view(q: Query): ComponentView;
  /**
   * The model as the explanations should see it, when it differs from the component's model
   * (Item2Vec: the same model whose `itemVectors()` returns the server's unit vectors instead of
   * a fresh copy of all of them per request).
   */
  readonly explainModel?: Recommender;
}

const EMPTY = new Int32Array(0);
const ZERO_VIEW: ComponentView = { top: () => EMPTY, scores: (items, out) => out.fill(0, 0, items.length) };

/** The serving view of a fitted component model (`nItems` items). */
export function componentServer(
  model: Recommender,
  nItems: number,
  opts: ComponentServeOptions = DEFAULT_COMPONENT_SERVE_OPTIONS,
): ComponentServer {
  if (model instanceof PopularRecommender) return new PopularServer(model, nItems);
  if (model instanceof ItemCfRecommender) return new ItemCfServer(model);
  if (model instanceof SessionKnnRecommender) return new SknnServer(model);
  if (model instanceof AlsRecommender) return new AlsServer(model, opts);
  if (model instanceof Item2VecRecommender) return new Item2VecServer(model, opts);
  return new DenseServer(model, nItems);
}

/** The reference: full `scoreBatch` of one query, then `topN`. */
export class DenseServer implements ComponentServer {
  readonly kind = 'dense';
  private readonly row: Float32Array;
  private heap = new TopNScratch(1);
  constructor(
    private readonly model: Recommender,
    nItems: number,
  ) {
    this.row = new Float32Array(nItems);
  }
  view(q: Query): ComponentView {
    const row = this.row;
    this.model.scoreBatch([q], row);
    return {
      top: (N, skip) => {
        if (isConstant(row)) return EMPTY;
        if (this.heap.items.length < N) this.heap = new TopNScratch(N);
        return topN(row, N, skip, this.heap);
      },
      scores: (items, out) => {
        for (let k = 0; k < items.length; k++) out[k] = row[items[k]];
      },
    };
  }
}

/**
 * Appends to `dst` the first `n` items of `order` not in `skip` that pass `ok`, then any further
 * ones whose `val` equals the last taken (`order` is sorted so that `val` never increases along it;
 * an equal value after the cut may still win on its lower index in `topN`).
 */
function takePrefix(
  order: Int32Array,
  val: (i: number) => number,
  n: number,
  skip: Uint8Array,
  ok: ((i: number) => boolean) | null,
  dst: number[],
): void {
  let taken = 0;
  let last = NaN;
  for (let r = 0; r < order.length; r++) {
    const i = order[r];
    if (skip[i] || (ok !== null && !ok(i))) continue;
    const v = val(i);
    if (taken >= n && v !== last) break;
    dst.push(i);
    taken++;
    last = v;
  }
}

function topOfList(items: number[], val: (i: number) => number, N: number, skip: Uint8Array): Int32Array {
  const vals = new Float32Array(items.length);
  for (let k = 0; k < items.length; k++) vals[k] = val(items[k]);
  return topNOf(items, vals, N, skip);
}

/** popular / popular-category: row = pop, or (share_q(cat i) + λ) · pop(i) in category mode. */
class PopularServer implements ComponentServer {
  readonly kind = 'sparse';
  private readonly pop: Float32Array;
  private readonly cat: Int32Array;
  private readonly order: Int32Array;
  private readonly catOrder = new Map<number, Int32Array>();
  private readonly dense: DenseServer | null;

  constructor(
    private readonly model: PopularRecommender,
    nItems: number,
  ) {
    const a = model.toArtifact().arrays;
    this.pop = a.pop as Float32Array;
    this.cat = a.itemCategory as Int32Array;
    this.order = scoreOrder(this.pop);
    const lists = new Map<number, number[]>();
    for (const i of this.order) {
      const c = this.cat[i];
      if (c < 0) continue;
      let l = lists.get(c);
      if (!l) lists.set(c, (l = []));
      l.push(i);
    }
    for (const [c, l] of lists) this.catOrder.set(c, Int32Array.from(l));
    // Degenerate rows (constant popularity, no smoothing) keep the exact dense path.
    const degenerate =
      this.order.length !== this.pop.length ||
      isConstant(this.pop) ||
      (model.config.mode === 'category' && !(model.config.categorySmoothing > 0));
    this.dense = degenerate ? new DenseServer(model, nItems) : null;
  }

  view(q: Query): ComponentView {
    if (this.dense) return this.dense.view(q);
    const { pop, cat } = this;
    const cfg = this.model.config;
    if (cfg.mode !== 'category' || q.items.length === 0) {
      const val = (i: number): number => pop[i];
      return {
        top: (N, skip) => {
          const items: number[] = [];
          takePrefix(this.order, val, N, skip, null, items);
          return topOfList(items, val, N, skip);
        },
        scores: (items, out) => {
          for (let k = 0; k < items.length; k++) out[k] = pop[items[k]];
        },
      };
    }
    // The query's category shares, exactly as PopularRecommender.scoreCategory.
    const w = weightTable(cfg.eventWeights);
    const share = new Map<number, number>();
    let total = 0;
    for (let j = 0; j < q.items.length; j++) {
      const it = q.items[j];
      if (it < 0 || it >= pop.length) continue;
      const c = cat[it];
      if (c < 0) continue;
      const v = w[q.events[j]] ?? 1;
      share.set(c, (share.get(c) ?? 0) + v);
      total += v;
    }
    const lambda = cfg.categorySmoothing;
    const shareOf = (i: number): number => (total > 0 ? (share.get(cat[i]) ?? 0) / total : 0);
    const val = (i: number): number => Math.fround((shareOf(i) + lambda) * pop[i]);
    return {
      top: (N, skip) => {
        // Merge of the query's category orders and the global order (items of those categories
        // left out of it): along each list the value never increases.
        const lists: Int32Array[] = [];
        const mults: number[] = [];
        for (const c of share.keys()) {
          const l = this.catOrder.get(c);
          const sc = total > 0 ? (share.get(c) ?? 0) / total : 0;
          if (l && sc > 0) {
            lists.push(l);
            mults.push(sc + lambda);
          }
        }
        lists.push(this.order);
        mults.push(0 + lambda);
        const global = lists.length - 1;
        const head = new Int32Array(lists.length);
        const items: number[] = [];
        let last = NaN;
        for (;;) {
          let best = -1;
          let bestV = -Infinity;
          let bestI = 0;
          for (let l = 0; l < lists.length; l++) {
            const list = lists[l];
            let h = head[l];
            while (h < list.length && (skip[list[h]] || (l === global && shareOf(list[h]) > 0))) h++;
            head[l] = h;
            if (h >= list.length) continue;
            const i = list[h];
            const v = Math.fround(mults[l] * pop[i]);
            if (v > bestV || (v === bestV && i < bestI)) [best, bestV, bestI] = [l, v, i];
          }
          if (best < 0 || (items.length >= N && bestV !== last)) break;
          items.push(bestI);
          last = bestV;
          head[best]++;
        }
        return topOfList(items, val, N, skip);
      },
      scores: (items, out) => {
        for (let k = 0; k < items.length; k++) out[k] = val(items[k]);
      },
    };
  }
}

/**
 * Neighbour-sum models (itemcf, sknn): row(i) = acc(i) + tie · pop(i) with `acc` sparse.
 * Subclasses fill `acc` (float64, same summation order as the model) and `touched`.
 */
abstract class SparseSumServer implements ComponentServer {
  readonly kind = 'sparse';
  protected abstract acc: Float64Array;
  protected readonly touched: number[] = [];
  private readonly base: Float32Array;
  private readonly baseOrder: Int32Array;
  private readonly baseConstant: boolean;

  constructor(
    protected readonly pop: ArrayLike<number>,
    protected readonly tie: number,
  ) {
    this.base = Float32Array.from(pop, (p) => tie * p);
    this.baseOrder = scoreOrder(this.base);
    this.baseConstant = isConstant(this.base);
  }

  /** Fills `acc` and `touched` (every item with acc ≠ 0 must be in `touched`) for `q`. */
  protected abstract accumulate(q: Query): void;

  view(q: Query): ComponentView {
    this.accumulate(q);
    const { acc, pop, tie, touched } = this;
    const val = (i: number): number => Math.fround(acc[i] + tie * pop[i]);
    const support = touched.filter((i) => acc[i] !== 0);
    return {
      top: (N, skip) => {
        if (this.baseConstant) {
          const c0 = this.base[0];
          if (support.every((i) => val(i) === c0)) return EMPTY;
        }
        const items = support.slice();
        takePrefix(
          this.baseOrder,
          (i) => this.base[i],
          N,
          skip,
          (i) => acc[i] === 0,
          items,
        );
        return topOfList(items, val, N, skip);
      },
      scores: (items, out) => {
        for (let k = 0; k < items.length; k++) out[k] = val(items[k]);
      },
    };
  }
}

class ItemCfServer extends SparseSumServer {
  protected acc: Float64Array;
  private readonly mark: Uint8Array;
  private readonly scratch: ProfileScratch;
  private readonly ew: Float64Array;
  private readonly sim: { indptr: Int32Array; indices: Int32Array; data: Float32Array };

  constructor(private readonly model: ItemCfRecommender) {
    const a = model.toArtifact().arrays;
    super(a.pop as Float32Array, model.config.popularityTieBreak);
    const n = this.pop.length;
    this.acc = new Float64Array(n);
    this.mark = new Uint8Array(n);
    this.scratch = new ProfileScratch(n);
    this.ew = weightTable(model.config.eventWeights);
    this.sim = {
      indptr: a.simIndptr as Int32Array,
      indices: a.simIndices as Int32Array,
      data: a.simData as Float32Array,
    };
  }

  protected accumulate(q: Query): void {
    const { acc, mark, touched, scratch } = this;
    for (const i of touched) {
      acc[i] = 0;
      mark[i] = 0;
    }
    touched.length = 0;
    scratch.fill(q.items, q.events, q.sessionStart, this.ew, this.model.config);
    const { indptr, indices, data } = this.sim;
    for (let t = 0; t < scratch.size; t++) {
      const h = scratch.items[t];
      const a = scratch.weight[h];
      for (let p = indptr[h]; p < indptr[h + 1]; p++) {
        const j = indices[p];
        if (!mark[j]) {
          mark[j] = 1;
          touched.push(j);
        }
        acc[j] += a * data[p];
      }
    }
  }
}

class SknnServer extends SparseSumServer {
  protected acc: Float64Array;
  private readonly scorer: SknnScorer;
  private readonly ew: Float64Array;

  constructor(private readonly model: SessionKnnRecommender) {
    const a = model.toArtifact();
    const arr = a.arrays;
    const pop = arr.pop as Float32Array;
    super(pop, model.config.popularityTieBreak);
    const n = pop.length;
    const sPtr = arr.sessionIndptr as Int32Array;
    const sIdx = arr.sessionItems as Int32Array;
    const iIdx = arr.itemSessions as Int32Array;
    this.scorer = new SknnScorer(
      {
        sessionItems: {
          nRows: sPtr.length - 1,
          nCols: n,
          indptr: sPtr,
          indices: sIdx,
          data: new Float32Array(0),
        },
        itemSessions: {
          nRows: n,
          nCols: sPtr.length - 1,
          indptr: arr.itemIndptr as Int32Array,
          indices: iIdx,
          data: new Float32Array(0),
        },
        idf: arr.idf as Float32Array,
        pop,
      },
      model.config,
    );
    this.ew = weightTable(model.config.eventWeights);
    this.acc = new Float64Array(n);
  }

  protected accumulate(q: Query): void {
    const n = this.pop.length;
    this.acc = this.scorer.score(currentSession(q, n, this.ew));
    const touched = this.touched;
    touched.length = 0;
    const acc = this.acc;
    for (let i = 0; i < n; i++) if (acc[i] !== 0) touched.push(i);
  }
}

/** Vector models: top N through an ANN search, re-scored with the model's arithmetic. */
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
class AlsServer extends VectorServer {
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
class Item2VecServer extends VectorServer {
  protected readonly index: AnnIndex;
  private readonly unit: Float32Array;
  private readonly inVocab: Uint8Array;
  private readonly vocab: Int32Array;
  private readonly d: number;
  private readonly qv: Float64Array;
  /** The normalised query vector of the last `view`. */
  private qd: Float64Array = new Float64Array(0);

  constructor(
    private readonly model: Item2VecRecommender,
    opts: ComponentServeOptions,
  ) {
    super(opts);
    const a = model.toArtifact().arrays;
    const raw = a.vectors as Float32Array;
    this.inVocab = a.inVocab as Uint8Array;
    const d = (this.d = model.config.dim);
    const n = this.inVocab.length;
    // Unit vectors with the model's own arithmetic (Item2VecRecommender.setVectors).
    const unit = (this.unit = new Float32Array(n * d));
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += raw[i * d + j] * raw[i * d + j];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < d; j++) unit[i * d + j] = raw[i * d + j] * inv;
    }
    const vocab: number[] = [];
    for (let i = 0; i < n; i++) if (this.inVocab[i] === 1) vocab.push(i);
    this.vocab = Int32Array.from(vocab);
    const rows = new Float32Array(Math.max(1, vocab.length) * d);
    vocab.forEach((i, r) => rows.set(unit.subarray(i * d, (i + 1) * d), r * d));
    this.index = buildAnnIndex(opts.ann, rows, d, {
      expansionSearch: opts.expansionSearch,
      connectivity: opts.connectivity,
    });
    this.qv = new Float64Array(d);
    // Same vectors as model.itemVectors() (same arithmetic), without its per-call copy.
    this.explainModel = Object.create(model, { itemVectors: { value: () => unit } }) as Recommender;
  }

  readonly explainModel: Recommender;

  protected itemOf(key: number): number {
    return this.vocab[key];
  }

  private accumulate(items: Int32Array, from: number, to: number): number {
    const { unit, d, qv, inVocab } = this;
    let used = 0;
    let w = 1;
    for (let j = to - 1; j >= from; j--) {
      const it = items[j];
      if (it >= 0 && it < inVocab.length && inVocab[it] === 1) {
        for (let k = 0; k < d; k++) qv[k] += w * unit[it * d + k];
        used++;
      }
      w *= this.model.config.recencyDecay;
    }
    return used;
  }

  view(q: Query): ComponentView {
    const { unit, d, inVocab } = this;
    const qv = this.qv.fill(0);
    const n = q.items.length;
    const start = q.sessionStart >= 0 && q.sessionStart < n ? q.sessionStart : 0;
    let used = this.accumulate(q.items, start, n);
    if (used === 0 && start > 0) used = this.accumulate(q.items, 0, start);
    let norm = 0;
    for (let k = 0; k < d; k++) norm += qv[k] * qv[k];
    if (used === 0 || norm === 0 || this.vocab.length === 0) return ZERO_VIEW;
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < d; k++) qv[k] *= inv;
    const qf = Float32Array.from(qv);
    const qd = (this.qd = Float64Array.from(qv));
    const val = (i: number): number => {
      if (!inVocab[i]) return -1;
      let s = 0;
      const o = i * d;
      for (let k = 0; k < d; k++) s += unit[o + k] * qd[k];
      return Math.fround(s);
    };
    return {
      top: (N, skip) => (this.vocab.length > 2 * N ? this.annTop(qf, N, skip) : this.smallTop(val, N, skip)),
      scores: (items, out) => {
        for (let j = 0; j < items.length; j++) out[j] = val(items[j]);
      },
    };
  }

  protected exact(items: Int32Array, out: Float32Array): void {
    const { unit, d, inVocab, qd } = this;
    for (let j = 0; j < items.length; j++) {
      const i = items[j];
      if (!inVocab[i]) {
        out[j] = -1;
        continue;
      }
      let s = 0;
      const o = i * d;
      for (let k = 0; k < d; k++) s += unit[o + k] * qd[k];
      out[j] = s;
    }
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
