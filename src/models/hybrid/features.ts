/**
 * Per-query features of the hybrid: the candidate union (each component's top N, plus the cart
 * complements' top N) and each component's normalised score on every candidate, the funnel
 * stage, and the gate inputs. Used identically when learning the weights and when scoring.
 *
 * Normalisation (per query, per component):
 * - `rank`:   v = 1 − r/N for the item at 0-based rank r of the component's top N, 0 outside.
 *             Default: component scales differ by orders of magnitude (ALS dot products, cosine
 *             sums, decayed counts) and have heavy tails; ranks make the weights comparable and a
 *             single outlier score cannot swamp the others.
 * - `minmax`: (s − min)/(max − min) over the candidate union (0 when constant).
 * - `zscore`: (s − mean)/sd over the candidate union, clipped to ±3.
 *
 * Cost per query: C component score rows (their own cost) + O(C · nItems · log N) selection +
 * O(|candidates| · C) normalisation; scratch C × batch × nItems float32, allocated per call in
 * sub-batches of at most ~8 M floats.
 */
import { funnelStageCode, type FunnelConfig } from '../../data/processing/funnel.js';
import type { ItemCfRecommender } from '../collaborative/itemcf/itemcf.js';
import type { Query } from '../types.js';
import type { Component } from './components.js';
import type { HybridConfig } from './config.js';
import { topN, TopNScratch } from './top-n.js';

/** Number of gate inputs: bias, log1p(session length), log1p(earlier history length), log1p(hours since last event). */
export const GATE_DIM = 4;

export interface QueryFeatures {
  /** Candidate items (union, in first-added order). */
  cands: Int32Array;
  /** Normalised scores, `values[k * nSignals + c]`. */
  values: Float32Array;
  stage: number;
  gateX: Float64Array;
  /** Items the user bought (excluded unless repurchase). */
  bought: Int32Array;
}

export interface FeatureOptions {
  config: HybridConfig;
  nItems: number;
  components: readonly Component[];
  /** The Item-CF component providing co-purchase partners, when cart complements are on. */
  cart: ItemCfRecommender | null;
}

/** Names of the signals: the components, then `cart` when cart complements are on. */
export function signalNames(o: FeatureOptions): string[] {
  return [...o.components.map((c) => c.name), ...(o.cart ? ['cart'] : [])];
}

/** Stage code of a query as of its time (THE shared funnel function). Missing ts = just before `time`. */
export function queryStage(q: Query, funnel: FunnelConfig): number {
  const n = q.items.length;
  const ts = q.ts ?? new Float64Array(n).fill(q.time - 1);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return funnelStageCode(q.events, ts, q.items, rows, 0, n, q.time, funnel);
}

/** Gate inputs of a query. */
export function gateInputs(q: Query): Float64Array {
  const n = q.items.length;
  const start = q.sessionStart > 0 && q.sessionStart < n ? q.sessionStart : 0;
  const hours = n > 0 && q.ts ? Math.max(0, q.time - q.ts[n - 1]) / 3_600_000 : 0;
  return Float64Array.of(1, Math.log1p(n - start), Math.log1p(start), Math.log1p(hours));
}

/** Cart / basket items: added to cart or bought in the history (latest 20, distinct). */
export function basketItems(q: Query, nItems: number): number[] {
  const out: number[] = [];
  for (let j = q.items.length - 1; j >= 0 && out.length < 20; j--) {
    const it = q.items[j];
    if (q.events[j] >= 1 && it >= 0 && it < nItems && !out.includes(it)) out.push(it);
  }
  return out;
}

/** Reusable per-query scratch of {@link queryFeatures} (candidate positions, skip marks). */
export class FeatureScratch {
  readonly pos: Int32Array;
  readonly skip: Uint8Array;
  raw: Float32Array = new Float32Array(0);
  constructor(readonly nItems: number) {
    this.pos = new Int32Array(nItems).fill(-1);
    this.skip = new Uint8Array(nItems);
  }
}

/**
 * One component's view of one query, as {@link queryFeatures} needs it: `top(N, skip)` = the
 * component's top N items (exactly `topN` of its full score row; EMPTY when the row is constant,
 * i.e. carries no information), and `scores(items, out)` = its raw scores of `items`.
 */
export interface ComponentView {
  top(N: number, skip: Uint8Array): Int32Array;
  scores(items: Int32Array, out: Float32Array): void;
}

/**
 * The features of one query from its components' views — the part shared by the full-catalogue
 * path ({@link buildFeatures}, views over full score rows) and the sparse serving path
 * (`serve-candidates.ts`, views that never score the whole catalogue). Same views ⇒ same features.
 */
export function queryFeatures(
  q: Query,
  o: FeatureOptions,
  views: readonly ComponentView[],
  s: FeatureScratch,
): QueryFeatures {
  const n = o.nItems;
  const C = o.components.length;
  const S = C + (o.cart ? 1 : 0);
  const N = Math.min(o.config.candidatesPerComponent, n);
  const { pos, skip } = s;
  const bought = boughtItems(q, n);
  if (!o.config.repurchase) for (const i of bought) skip[i] = 1;
  const lists: Int32Array[] = [];
  const cands: number[] = [];
  const add = (list: Int32Array): void => {
    for (const i of list) if (pos[i] < 0) pos[i] = cands.push(i) - 1;
  };
  for (let c = 0; c < C; c++) {
    const l = views[c].top(N, skip);
    lists.push(l);
    add(l);
  }
  let cartRow: Map<number, number> | null = null;
  if (o.cart) {
    cartRow = cartScores(o.cart, q, n, o.config.repurchase ? null : skip);
    const l = Int32Array.from(
      [...cartRow.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, N),
      (e) => e[0],
    );
    lists.push(l);
    add(l);
  }
  const K = cands.length;
  const candArr = Int32Array.from(cands);
  const values = new Float32Array(K * S);
  for (let c = 0; c < S; c++) {
    // A constant row (e.g. ALS or Item2Vec for a query without history) carries no
    // information: its top N would be arbitrary items, so it adds no candidates and scores 0.
    if (c < C && lists[c].length === 0) continue;
    if (o.config.normalisation === 'rank') {
      const l = lists[c];
      for (let r = 0; r < l.length; r++) values[pos[l[r]] * S + c] = 1 - r / N;
    } else {
      const raw = new Float64Array(K);
      if (c < C) {
        if (s.raw.length < K) s.raw = new Float32Array(K);
        const buf = s.raw.subarray(0, K);
        views[c].scores(candArr, buf);
        for (let k = 0; k < K; k++) raw[k] = Number.isFinite(buf[k]) ? buf[k] : 0;
      } else {
        for (let k = 0; k < K; k++) raw[k] = cartRow!.get(cands[k]) ?? 0;
      }
      normaliseInto(raw, o.config.normalisation, values, S, c);
    }
  }
  for (const i of cands) pos[i] = -1;
  for (const i of bought) skip[i] = 0;
  return {
    cands: candArr,
    values,
    stage: queryStage(q, o.config.funnel),
    gateX: gateInputs(q),
    bought,
  };
}

/** Builds the features of each query by scoring the full catalogue with every component. */
export function buildFeatures(queries: readonly Query[], o: FeatureOptions): QueryFeatures[] {
  const n = o.nItems;
  const C = o.components.length;
  const N = Math.min(o.config.candidatesPerComponent, n);
  const sub = Math.max(1, Math.min(queries.length, Math.floor(8_000_000 / Math.max(1, C * n))));
  const bufs = o.components.map(() => new Float32Array(sub * n));
  const scratch = new FeatureScratch(n);
  const heap = new TopNScratch(N);
  const out: QueryFeatures[] = [];
  let j = 0;
  const views: ComponentView[] = bufs.map((buf) => ({
    top: (N2, skip) => {
      const row = buf.subarray(j * n, (j + 1) * n);
      return isConstant(row) ? EMPTY : topN(row, N2, skip, heap);
    },
    scores: (items, dst) => {
      for (let k = 0; k < items.length; k++) dst[k] = buf[j * n + items[k]];
    },
  }));
  for (let b0 = 0; b0 < queries.length; b0 += sub) {
    const batch = queries.slice(b0, b0 + sub);
    for (let c = 0; c < C; c++)
      o.components[c].model.scoreBatch(batch, bufs[c].subarray(0, batch.length * n));
    for (j = 0; j < batch.length; j++) out.push(queryFeatures(batch[j], o, views, scratch));
  }
  return out;
}

const EMPTY = new Int32Array(0);

/** True when every finite score of the row is equal (or there is none). */
export function isConstant(row: Float32Array): boolean {
  let first = NaN;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (!Number.isFinite(v)) continue;
    if (first !== first) first = v;
    else if (v !== first) return false;
  }
  return true;
}

function boughtItems(q: Query, n: number): Int32Array {
  const s = new Set<number>();
  for (let j = 0; j < q.items.length; j++)
    if (q.events[j] === 2 && q.items[j] >= 0 && q.items[j] < n) s.add(q.items[j]);
  return Int32Array.from(s).sort();
}

/** Σ over basket items b of coPurchase(b, i), partners not skipped. */
export function cartScores(
  cf: ItemCfRecommender,
  q: Query,
  n: number,
  skip: Uint8Array | null,
): Map<number, number> {
  const acc = new Map<number, number>();
  for (const b of basketItems(q, n)) {
    for (const { item, count } of cf.coPurchase(b)) {
      if (skip && skip[item]) continue;
      acc.set(item, (acc.get(item) ?? 0) + count);
    }
  }
  return acc;
}

function normaliseInto(
  raw: Float64Array,
  kind: 'minmax' | 'zscore',
  values: Float32Array,
  S: number,
  c: number,
): void {
  const K = raw.length;
  if (K === 0) return;
  if (kind === 'minmax') {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of raw) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo;
    for (let k = 0; k < K; k++) values[k * S + c] = span > 0 ? (raw[k] - lo) / span : 0;
    return;
  }
  let mean = 0;
  for (const v of raw) mean += v;
  mean /= K;
  let ss = 0;
  for (const v of raw) ss += (v - mean) * (v - mean);
  const sd = Math.sqrt(ss / K);
  for (let k = 0; k < K; k++)
    values[k * S + c] = sd > 0 ? Math.max(-3, Math.min(3, (raw[k] - mean) / sd)) : 0;
}
