/**
 * Serving views of the neighbour-sum components (itemcf, sknn / vsknn): row(i) = acc(i) +
 * popularityTieBreak · pop(i) with `acc` sparse; the top N comes from the items the sum touches
 * and a prefix of the precomputed tie-break order (see `serve-components.ts`).
 */
import type { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import { ProfileScratch } from '../collaborative/itemcf/query-profile.js';
import { weightTable } from '../common/event-weights.js';
import { SknnScorer } from '../sequential/sknn/neighbours.js';
import { currentSession, type SessionKnnRecommender } from '../sequential/sknn/sknn.js';
import type { Query } from '../types.js';
import { isConstant, type ComponentView } from './features.js';
import { EMPTY, takePrefix, topOfList, type ComponentServer } from './serve-common.js';
import { scoreOrder } from './top-n.js';

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

export class ItemCfServer extends SparseSumServer {
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

export class SknnServer extends SparseSumServer {
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
