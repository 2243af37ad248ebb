/**
 * Evidence for explanations, computed from the training events only: event counts per item,
 * and the distinct users / buyers / sessions of each item (CSR, rows ascending) so that every
 * number a reason shows ("3 customers bought both") is an exact count over the training data.
 *
 * Cost: O(events log) to build; memory ≈ 4 int32 per event (+ nItems + nUsers + nSessions).
 */
import type { ModelArtifact, TrainData } from '../types.js';
import { RecError } from '../../core/errors.js';

/** Sorted distinct columns of each row. */
export interface Rows {
  indptr: Int32Array;
  indices: Int32Array;
}

/** Window of the "trending" evidence: events in the last this many days before the training cut. */
export const TREND_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface EvidenceStore {
  /** Training events per item (any type). */
  itemCount: Int32Array;
  /** Training events per item in the last TREND_WINDOW_DAYS days before the cut. */
  itemRecent: Int32Array;
  itemCategory: Int32Array;
  itemUsers: Rows;
  userItems: Rows;
  itemBuyers: Rows;
  itemSessions: Rows;
  sessionItems: Rows;
}

/** Groups (row, col) pairs into sorted distinct rows. */
function groupRows(rows: Int32Array, cols: Int32Array, nRows: number): Rows {
  const order = Array.from(rows.keys()).sort((a, b) => rows[a] - rows[b] || cols[a] - cols[b]);
  const indptr = new Int32Array(nRows + 1);
  const out: number[] = [];
  let prevR = -1;
  let prevC = -1;
  for (const k of order) {
    const r = rows[k];
    const c = cols[k];
    if (r === prevR && c === prevC) continue;
    out.push(c);
    indptr[r + 1]++;
    prevR = r;
    prevC = c;
  }
  for (let r = 0; r < nRows; r++) indptr[r + 1] += indptr[r];
  return { indptr, indices: Int32Array.from(out) };
}

export function buildEvidence(data: TrainData): EvidenceStore {
  const ev = data.events;
  const itemCount = new Int32Array(data.nItems);
  const itemRecent = new Int32Array(data.nItems);
  const recentFrom = data.cutTime - TREND_WINDOW_DAYS * DAY_MS;
  for (let r = 0; r < ev.length; r++) {
    itemCount[ev.item[r]]++;
    if (ev.ts[r] >= recentFrom) itemRecent[ev.item[r]]++;
  }
  const buyRows: number[] = [];
  const buyCols: number[] = [];
  for (let r = 0; r < ev.length; r++) {
    if (ev.event[r] !== 2) continue;
    buyRows.push(ev.item[r]);
    buyCols.push(ev.user[r]);
  }
  const { offsets, rows } = data.sessions;
  const nSessions = offsets.length - 1;
  const sRow = new Int32Array(rows.length);
  const sItem = new Int32Array(rows.length);
  for (let s = 0; s < nSessions; s++) {
    for (let p = offsets[s]; p < offsets[s + 1]; p++) {
      sRow[p] = s;
      sItem[p] = ev.item[rows[p]];
    }
  }
  return {
    itemCount,
    itemRecent,
    itemCategory: Int32Array.from(data.itemCategory),
    itemUsers: groupRows(ev.item, ev.user, data.nItems),
    userItems: groupRows(ev.user, ev.item, data.nUsers),
    itemBuyers: groupRows(Int32Array.from(buyRows), Int32Array.from(buyCols), data.nItems),
    itemSessions: groupRows(sItem, sRow, data.nItems),
    sessionItems: groupRows(sRow, sItem, nSessions),
  };
}

/** Size of the intersection of two sorted rows. */
export function intersectCount(a: Rows, ra: number, b: Rows, rb: number): number {
  let i = a.indptr[ra];
  let j = b.indptr[rb];
  const ie = a.indptr[ra + 1];
  const je = b.indptr[rb + 1];
  let n = 0;
  while (i < ie && j < je) {
    const x = a.indices[i];
    const y = b.indices[j];
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/**
 * Rows of `byItem[item]` (users or sessions) other than `exclude` whose own row in `back` holds
 * at least one item marked in `marked`.
 */
export function countLinked(
  byItem: Rows,
  item: number,
  back: Rows,
  marked: Uint8Array,
  exclude = -1,
): number {
  let n = 0;
  for (let p = byItem.indptr[item]; p < byItem.indptr[item + 1]; p++) {
    const v = byItem.indices[p];
    if (v === exclude) continue;
    for (let t = back.indptr[v]; t < back.indptr[v + 1]; t++) {
      if (marked[back.indices[t]]) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Ascending counts, overall and per category, built once per counts array (O(n log n)). */
interface RankIndex {
  all: Int32Array;
  byCategory: Map<number, Int32Array>;
}
const rankIndexes = new WeakMap<Int32Array, RankIndex>();

function rankIndex(counts: Int32Array, itemCategory: Int32Array): RankIndex {
  let idx = rankIndexes.get(counts);
  if (idx) return idx;
  const lists = new Map<number, number[]>();
  for (let i = 0; i < counts.length; i++) {
    const c = itemCategory[i];
    let l = lists.get(c);
    if (!l) lists.set(c, (l = []));
    l.push(counts[i]);
  }
  const byCategory = new Map<number, Int32Array>();
  for (const [c, l] of lists) byCategory.set(c, Int32Array.from(l).sort());
  idx = { all: Int32Array.from(counts).sort(), byCategory };
  rankIndexes.set(counts, idx);
  return idx;
}

/** Number of entries of ascending `a` strictly greater than `k`. */
function countAbove(a: Int32Array, k: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= k) lo = mid + 1;
    else hi = mid;
  }
  return a.length - lo;
}

/**
 * 1 + number of items with strictly more events (in the item's category when `inCategory`);
 * `counts` is `itemCount` (all training events) or `itemRecent` (the trend window).
 * Cost: O(log nItems) after a one-off O(nItems log nItems) index per counts array.
 */
export function popularityRank(
  e: EvidenceStore,
  item: number,
  inCategory: boolean,
  counts: Int32Array = e.itemCount,
): number {
  const idx = rankIndex(counts, e.itemCategory);
  const list = inCategory ? idx.byCategory.get(e.itemCategory[item])! : idx.all;
  return 1 + countAbove(list, counts[item]);
}

const KEYS = ['itemUsers', 'userItems', 'itemBuyers', 'itemSessions', 'sessionItems'] as const;

export function packEvidence(e: EvidenceStore, arrays: ModelArtifact['arrays']): void {
  arrays['ev:itemCount'] = e.itemCount;
  arrays['ev:itemRecent'] = e.itemRecent;
  arrays['ev:itemCategory'] = e.itemCategory;
  for (const k of KEYS) {
    arrays[`ev:${k}:indptr`] = e[k].indptr;
    arrays[`ev:${k}:indices`] = e[k].indices;
  }
}

export function unpackEvidence(arrays: ModelArtifact['arrays']): EvidenceStore {
  const get = (k: string): Int32Array => {
    const a = arrays[`ev:${k}`];
    if (!(a instanceof Int32Array))
      throw new RecError('ARTIFACT_INVALID', `Hybrid artifact lacks evidence array "${k}"`);
    return a;
  };
  const rows = (k: string): Rows => ({ indptr: get(`${k}:indptr`), indices: get(`${k}:indices`) });
  const itemCount = get('itemCount');
  // Artifacts written before the trend evidence existed have none: no "trending" reasons then.
  const itemRecent = arrays['ev:itemRecent'] ? get('itemRecent') : new Int32Array(itemCount.length);
  return {
    itemCount,
    itemRecent,
    itemCategory: get('itemCategory'),
    itemUsers: rows('itemUsers'),
    userItems: rows('userItems'),
    itemBuyers: rows('itemBuyers'),
    itemSessions: rows('itemSessions'),
    sessionItems: rows('sessionItems'),
  };
}
