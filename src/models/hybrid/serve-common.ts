/**
 * What the hybrid's component serving views share (`serve-components.ts` and its parts): the
 * options, the server interface, the dense reference server, and the exact top-N of a candidate
 * list (prefix walks of score orders, see {@link takePrefix}).
 */
import type { AnnKind } from '../retrieval/ann/index.js';
import type { Query, Recommender } from '../types.js';
import { isConstant, type ComponentView } from './features.js';
import { TopNScratch, topN, topNOf } from './top-n.js';

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
}

export const EMPTY = new Int32Array(0);
export const ZERO_VIEW: ComponentView = {
  top: () => EMPTY,
  scores: (items, out) => out.fill(0, 0, items.length),
};

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
export function takePrefix(
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

export function topOfList(
  items: number[],
  val: (i: number) => number,
  N: number,
  skip: Uint8Array,
): Int32Array {
  const vals = new Float32Array(items.length);
  for (let k = 0; k < items.length; k++) vals[k] = val(items[k]);
  return topNOf(items, vals, N, skip);
}

/** popular / popular-category: row = pop, or (share_q(cat i) + λ) · pop(i) in category mode. */
