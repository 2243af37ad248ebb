/**
 * Top-K selection and beyond-accuracy metrics of recommendation lists: catalogue coverage,
 * intra-list diversity by category, novelty and average popularity.
 */
import { RecError } from '../core/errors.js';
import { firstNan, nanScoreError, sortedContains } from './case-scores.js';

/**
 * The `k` best items of one case, best first: `scores[offset + i]` for item `i < nItems`, higher is
 * better, ties broken by the lower item index (deterministic). Items in `exclude` and items scored
 * `-Infinity` ("never recommend") are skipped, so the list is shorter than `k` when fewer items are
 * eligible. Writes into `out` (length ≥ k) when given and returns the filled prefix.
 *
 * Cost: one pass over the scores with a size-k min-heap of the current best (root = the worst kept):
 * O(nItems + m log k) for m heap replacements (small once the heap holds good items), no full sort,
 * no allocation proportional to nItems. Exclusion is checked (binary search in a sorted copy of
 * `exclude`) only for items good enough to enter the heap.
 *
 * @throws RecError NUMERIC when a score is NaN (naming the item); USAGE when k < 0.
 */
export function topK(
  scores: Float32Array,
  offset: number,
  nItems: number,
  k: number,
  exclude?: Int32Array,
  out?: Int32Array,
): Int32Array {
  if (!(k >= 0) || !Number.isInteger(k))
    throw new RecError('USAGE', `topK needs a non-negative integer k, got ${k}`);
  const kk = Math.min(k, nItems);
  const res = out ?? new Int32Array(kk);
  if (kk === 0) return res.subarray(0, 0);
  const excl = exclude && exclude.length > 0 ? Int32Array.from(exclude).sort() : undefined;
  const hi = new Int32Array(kk); // heap of item indices
  const hs = new Float64Array(kk); // their scores
  let size = 0;
  let j = 0;
  // Fill phase: the first kk eligible items.
  for (; j < nItems && size < kk; j++) {
    const s = scores[offset + j];
    if (!(s > -Infinity)) {
      if (s !== s) throw nanScoreError(j, offset);
      continue;
    }
    if (excl && sortedContains(excl, j)) continue;
    heapPush(hi, hs, size, j, s);
    size++;
  }
  // Scan phase: only a strictly higher score than the root can enter (an equal score comes with a
  // larger index, hence ranks lower). The NaN check is branch-free and reported after the loop.
  let rootScore = size > 0 ? hs[0] : Infinity;
  let nan = 0;
  for (; j < nItems; j++) {
    const s = scores[offset + j];
    nan |= +(s !== s);
    if (s > rootScore) {
      if (excl && sortedContains(excl, j)) continue;
      hi[0] = j;
      hs[0] = s;
      siftDown(hi, hs, 0, size);
      rootScore = hs[0];
    }
  }
  if (nan !== 0) throw nanScoreError(firstNan(scores, offset, nItems), offset);
  // Pop the worst first and fill from the back: best first in the result.
  for (let n = size; n > 0; n--) {
    res[n - 1] = hi[0];
    hi[0] = hi[n - 1];
    hs[0] = hs[n - 1];
    siftDown(hi, hs, 0, n - 1);
  }
  return res.subarray(0, size);
}

/** True when entry a ranks below entry b (lower score, or equal score and larger index). */
function worse(hi: Int32Array, hs: Float64Array, a: number, b: number): boolean {
  return hs[a] < hs[b] || (hs[a] === hs[b] && hi[a] > hi[b]);
}

function swap(hi: Int32Array, hs: Float64Array, a: number, b: number): void {
  const ti = hi[a];
  hi[a] = hi[b];
  hi[b] = ti;
  const ts = hs[a];
  hs[a] = hs[b];
  hs[b] = ts;
}

function heapPush(hi: Int32Array, hs: Float64Array, size: number, item: number, score: number): void {
  let c = size;
  hi[c] = item;
  hs[c] = score;
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (!worse(hi, hs, c, p)) break;
    swap(hi, hs, c, p);
    c = p;
  }
}

function siftDown(hi: Int32Array, hs: Float64Array, start: number, size: number): void {
  let p = start;
  for (;;) {
    const l = 2 * p + 1;
    if (l >= size) return;
    const r = l + 1;
    const c = r < size && worse(hi, hs, r, l) ? r : l;
    if (!worse(hi, hs, c, p)) return;
    swap(hi, hs, c, p);
    p = c;
  }
}

/** Readable reference for {@link topK}: full sort of the eligible items. For tests. */
export function topKReference(
  scores: Float32Array,
  offset: number,
  nItems: number,
  k: number,
  exclude?: Int32Array,
): Int32Array {
  const ex = new Set(exclude ?? []);
  const items = [...Array(nItems).keys()].filter((i) => !ex.has(i) && scores[offset + i] > -Infinity);
  items.sort((a, b) =>
    scores[offset + b] > scores[offset + a] ? 1 : scores[offset + b] < scores[offset + a] ? -1 : a - b,
  );
  return Int32Array.from(items.slice(0, k));
}

/**
 * Intra-list diversity of one list: the share of unordered item pairs whose categories differ,
 * 1 − Σ_c C(n_c, 2) / C(n, 2). The unknown category −1 is treated as one category of its own (two
 * items of unknown category count as the same category: unknown never inflates diversity).
 * Returns NaN for lists with fewer than two items (no pairs); averages skip them. O(n²) for a list of n.
 */
export function intraListDiversity(list: Int32Array, itemCategory: Int32Array): number {
  const n = list.length;
  if (n < 2) return NaN;
  let different = 0;
  for (let a = 0; a < n; a++) {
    const ca = itemCategory[list[a]];
    for (let b = a + 1; b < n; b++) if (itemCategory[list[b]] !== ca) different++;
  }
  return different / ((n * (n - 1)) / 2);
}

/**
 * Novelty of one list: mean self-information −log2(p_i) of its items, p_i = max(pop_i, 1) / Σ pop
 * (an item never seen in training counts as seen once: the most novel finite value). `totalPopularity`
 * is Σ pop over the catalogue. NaN for an empty list.
 */
export function listNovelty(
  list: Int32Array,
  itemPopularity: ArrayLike<number>,
  totalPopularity: number,
): number {
  if (list.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < list.length; i++)
    s -= Math.log2(Math.max(itemPopularity[list[i]], 1) / totalPopularity);
  return s / list.length;
}

/** Average training popularity (count) of the items of one list. NaN for an empty list. */
export function listPopularity(list: Int32Array, itemPopularity: ArrayLike<number>): number {
  if (list.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < list.length; i++) s += itemPopularity[list[i]];
  return s / list.length;
}

/** Beyond-accuracy metrics over a set of recommendation lists. */
export interface ListMetrics {
  /** Number of lists added (including empty ones). */
  readonly nLists: number;
  /** Distinct recommended items / nItems. */
  readonly coverage: number;
  /** Mean intra-list diversity over lists with ≥ 2 items (NaN when none). */
  readonly diversity: number;
  /** Mean per-list novelty in bits over non-empty lists (NaN when none). */
  readonly novelty: number;
  /** Mean per-list average training popularity over non-empty lists (NaN when none). */
  readonly averagePopularity: number;
}

/**
 * Accumulates {@link ListMetrics} one list at a time (memory: one byte per catalogue item for the
 * coverage set). Per-list values are averaged with every list weighing the same.
 */
export class ListMetricsAccumulator {
  private readonly seen: Uint8Array;
  private readonly totalPopularity: number;
  private nLists = 0;
  private distinct = 0;
  private divSum = 0;
  private divN = 0;
  private novSum = 0;
  private popSum = 0;
  private nonEmpty = 0;

  constructor(
    private readonly nItems: number,
    private readonly itemPopularity: ArrayLike<number>,
    private readonly itemCategory: Int32Array,
  ) {
    if (itemPopularity.length !== nItems || itemCategory.length !== nItems) {
      throw new RecError(
        'USAGE',
        `itemPopularity (${itemPopularity.length}) and itemCategory (${itemCategory.length}) must have nItems = ${nItems} entries`,
      );
    }
    let total = 0;
    for (let i = 0; i < nItems; i++) total += itemPopularity[i];
    if (!(total > 0))
      throw new RecError('DATA_INVALID', 'Item popularity sums to 0: novelty needs training interactions');
    this.totalPopularity = total;
    this.seen = new Uint8Array(nItems);
  }

  add(list: Int32Array): void {
    this.nLists++;
    for (let i = 0; i < list.length; i++) {
      if (this.seen[list[i]] === 0) {
        this.seen[list[i]] = 1;
        this.distinct++;
      }
    }
    if (list.length === 0) return;
    this.nonEmpty++;
    this.novSum += listNovelty(list, this.itemPopularity, this.totalPopularity);
    this.popSum += listPopularity(list, this.itemPopularity);
    if (list.length >= 2) {
      this.divSum += intraListDiversity(list, this.itemCategory);
      this.divN++;
    }
  }

  result(): ListMetrics {
    return {
      nLists: this.nLists,
      coverage: this.distinct / this.nItems,
      diversity: this.divN > 0 ? this.divSum / this.divN : NaN,
      novelty: this.nonEmpty > 0 ? this.novSum / this.nonEmpty : NaN,
      averagePopularity: this.nonEmpty > 0 ? this.popSum / this.nonEmpty : NaN,
    };
  }
}

/** Catalogue coverage of a set of lists: distinct recommended items / nItems. */
export function catalogueCoverage(lists: Iterable<Int32Array>, nItems: number): number {
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const l of lists) {
    for (let i = 0; i < l.length; i++) {
      if (seen[l[i]] === 0) {
        seen[l[i]] = 1;
        distinct++;
      }
    }
  }
  return distinct / nItems;
}
