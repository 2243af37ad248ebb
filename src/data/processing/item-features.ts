/**
 * Per-item features as of a time, from events with ts < asOf only: counts, time-decayed
 * popularity, smoothed conversion rates, the category as of asOf and its path in the tree.
 * O(n + nItems + tree depth × distinct categories).
 */
import type { EventTable } from '../../core/events.js';
import { RecError } from '../../core/errors.js';
import { DAY_MS } from './funnel.js';
import { rowsBefore } from './order.js';

export interface ItemFeatureOptions {
  nItems: number;
  /** Category tree, raw child id → raw parent id (-1 for a root); `Dataset.categoryParent`. */
  categoryParent?: Map<number, number>;
  /** Half-life of the decayed popularity, days (default 7). */
  halfLifeDays?: number;
  /**
   * Strength m of the additive smoothing toward the global rate p:
   * rate = (hits + m·p) / (trials + m). Default 10.
   */
  smoothing?: number;
}

export interface ItemFeatures {
  nItems: number;
  asOf: number;
  views: Int32Array;
  carts: Int32Array;
  purchases: Int32Array;
  /** All events (views + carts + purchases). */
  popularity: Int32Array;
  /** Σ over events of 2^(−(asOf − ts) / halfLife). */
  decayedPopularity: Float32Array;
  /** Smoothed carts / views toward the global rate (see `smoothing`). */
  viewToCart: Float32Array;
  /** Smoothed purchases / carts toward the global rate, capped at 1 (purchases without a cart exist). */
  cartToPurchase: Float32Array;
  /** Global rates used as priors. */
  globalViewToCart: number;
  globalCartToPurchase: number;
  /** Latest known raw category id before asOf (-1 unknown). */
  category: Int32Array;
  /** Category path root→leaf of item i: `categoryPath[pathOffsets[i] .. pathOffsets[i+1])`. */
  pathOffsets: Int32Array;
  categoryPath: Int32Array;
}

/** Item features of `events` as of `asOf` (items `0..nItems-1`). */
export function itemFeatures(events: EventTable, asOf: number, opts: ItemFeatureOptions): ItemFeatures {
  const { nItems } = opts;
  const halfLifeDays = opts.halfLifeDays ?? 7;
  const m = opts.smoothing ?? 10;
  if (!(halfLifeDays > 0) || !(m >= 0)) {
    throw new RecError('CONFIG_INVALID', `itemFeatures: halfLifeDays must be > 0 and smoothing ≥ 0`);
  }
  const views = new Int32Array(nItems);
  const carts = new Int32Array(nItems);
  const purchases = new Int32Array(nItems);
  const popularity = new Int32Array(nItems);
  const decayed = new Float64Array(nItems);
  const category = new Int32Array(nItems).fill(-1);
  const rows = rowsBefore(events, asOf); // time order: the last category seen wins
  const lambda = Math.LN2 / (halfLifeDays * DAY_MS);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const i = events.item[row];
    if (i < 0 || i >= nItems)
      throw new RecError('DATA_INVALID', `itemFeatures: item index ${i} outside 0..${nItems - 1}`);
    const e = events.event[row];
    if (e === 0) views[i]++;
    else if (e === 1) carts[i]++;
    else purchases[i]++;
    popularity[i]++;
    decayed[i] += Math.exp(-lambda * (asOf - events.ts[row]));
    if (events.category[row] >= 0) category[i] = events.category[row];
  }
  let V = 0;
  let C = 0;
  let P = 0;
  for (let i = 0; i < nItems; i++) {
    V += views[i];
    C += carts[i];
    P += purchases[i];
  }
  const pvc = V > 0 ? C / V : 0;
  const pcp = C > 0 ? Math.min(1, P / C) : 0;
  const viewToCart = new Float32Array(nItems);
  const cartToPurchase = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    viewToCart[i] = views[i] + m > 0 ? (carts[i] + m * pvc) / (views[i] + m) : pvc;
    cartToPurchase[i] = carts[i] + m > 0 ? Math.min(1, (purchases[i] + m * pcp) / (carts[i] + m)) : pcp;
  }
  const { pathOffsets, categoryPath } = categoryPaths(category, opts.categoryParent);
  return {
    nItems,
    asOf,
    views,
    carts,
    purchases,
    popularity,
    decayedPopularity: Float32Array.from(decayed),
    viewToCart,
    cartToPurchase,
    globalViewToCart: pvc,
    globalCartToPurchase: pcp,
    category,
    pathOffsets,
    categoryPath,
  };
}

/** Root→leaf path of a category (just `[c]` when c is not in the tree; [] for -1). */
export function categoryPathOf(c: number, parent: Map<number, number> | undefined): number[] {
  if (c < 0) return [];
  const path = [c];
  let cur = c;
  while (parent) {
    const p = parent.get(cur);
    if (p === undefined || p < 0) break;
    if (path.length > 64)
      throw new RecError('DATA_INVALID', `category tree has a cycle through category ${c}`);
    path.push(p);
    cur = p;
  }
  return path.reverse();
}

function categoryPaths(
  category: Int32Array,
  parent: Map<number, number> | undefined,
): { pathOffsets: Int32Array; categoryPath: Int32Array } {
  const cache = new Map<number, number[]>();
  const pathOffsets = new Int32Array(category.length + 1);
  for (let i = 0; i < category.length; i++) {
    let p = cache.get(category[i]);
    if (!p) cache.set(category[i], (p = categoryPathOf(category[i], parent)));
    pathOffsets[i + 1] = pathOffsets[i] + p.length;
  }
  const categoryPath = new Int32Array(pathOffsets[category.length]);
  for (let i = 0; i < category.length; i++) categoryPath.set(cache.get(category[i])!, pathOffsets[i]);
  return { pathOffsets, categoryPath };
}
