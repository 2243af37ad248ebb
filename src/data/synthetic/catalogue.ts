/**
 * The synthetic catalogue: items laid out contiguously by category, with a Zipf-like base
 * popularity inside each category, a popularity trend over time (each item peaks at its own date),
 * weekly availability (a Markov chain; unavailable items are shown less) and a complementary item
 * in the complementary category. Memory: ~40 bytes per item plus one byte per item-week.
 */
import type { Rng } from '../../core/rng.js';
import type { CategoryTree } from './category-tree.js';
import { RETAILROCKET_END_MS, RETAILROCKET_START_MS } from './official.js';
import { lognormal, lomax, permutation, sampleCumulative } from './sampling.js';

export const WEEK_MS = 7 * 24 * 3_600_000;
/** Weekly property snapshots from the first event to the last one. */
export const N_WEEKS = Math.floor((RETAILROCKET_END_MS - RETAILROCKET_START_MS) / WEEK_MS) + 1;
const DAY_MS = 24 * 3_600_000;

/** Tunable shape of the catalogue. */
export const CATALOGUE_SHAPE = {
  /** Live items (that can be shown) per item expected in events. */
  liveFactor: 1.33,
  /** Zipf exponent of the base popularity inside a category. */
  zipf: 1.05,
  /** Log-space spread of category sizes and of category attractiveness. */
  sizeSigma: 1.0,
  popSigma: 0.6,
  /** Trend: floor of the multiplier and range of peak widths (days). */
  trendFloor: 0.05,
  widthDays: [10, 40] as const,
  /** Weight multiplier of an unavailable item. */
  unavailableWeight: 0.3,
};

export interface Catalogue {
  /** Live items 0..nLive-1 can appear in events; the rest exist only in the property files. */
  nLive: number;
  nItems: number;
  /** Populated-category index of each item. */
  itemCat: Int32Array;
  /** Raw item id written to the files. */
  rawItemId: Int32Array;
  /** Live items of populated category c: `catStart[c] .. catStart[c+1]`. */
  catStart: Int32Array;
  /** Cumulative base weight of live items, restarting at each category. */
  itemCum: Float64Array;
  /** Cumulative attractiveness of populated categories. */
  catCum: Float64Array;
  /** Trend peak (epoch ms) and width (ms) of each live item. */
  peak: Float64Array;
  width: Float64Array;
  /** Availability of item i in week w at `avail[i * N_WEEKS + w]` (1 or 0). */
  avail: Uint8Array;
  /** Price in cents (changes rarely). */
  price: Int32Array;
  /** Complementary live item of each live item. */
  complement: Int32Array;
}

/** Builds a catalogue of `nItems` items of which about `itemsInEvents` will be seen. */
export function buildCatalogue(
  rng: Rng,
  tree: CategoryTree,
  itemsInEvents: number,
  nItems: number,
): Catalogue {
  const k = tree.populated.length;
  const nLive = Math.min(nItems, Math.max(k * 3, Math.round(itemsInEvents * CATALOGUE_SHAPE.liveFactor)));
  const catStart = layOutCategories(rng, k, nLive);
  const itemCat = new Int32Array(nItems);
  const itemCum = new Float64Array(nLive);
  const catW = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = catStart[c]; i < catStart[c + 1]; i++) {
      itemCat[i] = c;
      s += 1 / Math.pow(i - catStart[c] + 1, CATALOGUE_SHAPE.zipf);
      itemCum[i] = s;
    }
    catW[c] = (catStart[c + 1] - catStart[c]) * Math.exp(CATALOGUE_SHAPE.popSigma * rng.normal());
  }
  for (let i = nLive; i < nItems; i++) itemCat[i] = rng.int(k);
  const catCum = new Float64Array(k);
  for (let c = 0, s = 0; c < k; c++) catCum[c] = s += catW[c];

  const span = RETAILROCKET_END_MS - RETAILROCKET_START_MS;
  const peak = new Float64Array(nLive);
  const width = new Float64Array(nLive);
  const [wMin, wMax] = CATALOGUE_SHAPE.widthDays;
  for (let i = 0; i < nLive; i++) {
    peak[i] = RETAILROCKET_START_MS - 30 * DAY_MS + rng.next() * (span + 60 * DAY_MS);
    width[i] = (wMin + rng.next() * (wMax - wMin)) * DAY_MS;
  }
  const complement = new Int32Array(nLive);
  for (let i = 0; i < nLive; i++) {
    const cc = tree.complement[itemCat[i]];
    // Complements concentrate on the few best sellers of the complementary category.
    complement[i] =
      catStart[cc] + Math.min(catStart[cc + 1] - catStart[cc] - 1, Math.floor(lomax(rng, 1.5, 2)));
  }
  const rawItemId = permutation(rng, Math.round(nItems * 1.12)).slice(0, nItems);
  const price = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) price[i] = Math.max(50, Math.round(lognormal(rng, 3_000, 1.2))) * 10;
  const avail = buildAvailability(rng, nItems, nLive);
  return {
    nLive,
    nItems,
    itemCat,
    rawItemId,
    catStart,
    itemCum,
    catCum,
    peak,
    width,
    avail,
    price,
    complement,
  };
}

/** Splits `nLive` items over `k` categories with lognormal sizes, at least 3 each. */
function layOutCategories(rng: Rng, k: number, nLive: number): Int32Array {
  const w = new Float64Array(k);
  let total = 0;
  for (let c = 0; c < k; c++) total += w[c] = Math.exp(CATALOGUE_SHAPE.sizeSigma * rng.normal());
  const spare = nLive - 3 * k;
  const start = new Int32Array(k + 1);
  let acc = 0;
  for (let c = 0; c < k; c++) {
    acc += w[c];
    start[c + 1] = 3 * (c + 1) + Math.round((spare * acc) / total);
  }
  start[k] = nLive;
  return start;
}

/** Weekly availability: live items start available with p 0.8, then flip 1→0 w.p. 0.08, 0→1 w.p. 0.25. */
function buildAvailability(rng: Rng, nItems: number, nLive: number): Uint8Array {
  const avail = new Uint8Array(nItems * N_WEEKS);
  for (let i = 0; i < nItems; i++) {
    let a = rng.next() < (i < nLive ? 0.8 : 0.3) ? 1 : 0;
    for (let w = 0; w < N_WEEKS; w++) {
      if (w > 0) a = a === 1 ? (rng.next() < 0.08 ? 0 : 1) : rng.next() < 0.25 ? 1 : 0;
      avail[i * N_WEEKS + w] = a;
    }
  }
  return avail;
}

/** Week index of epoch-ms `t` (clamped to the snapshot range). */
export function weekOf(t: number): number {
  const w = Math.floor((t - RETAILROCKET_START_MS) / WEEK_MS);
  return w < 0 ? 0 : w >= N_WEEKS ? N_WEEKS - 1 : w;
}

/** Relative weight (0, 1] of live item `i` at time `t`: trend × availability. */
export function itemWeightAt(cat: Catalogue, i: number, t: number): number {
  const z = (t - cat.peak[i]) / cat.width[i];
  const f = CATALOGUE_SHAPE.trendFloor;
  const trend = f + (1 - f) * Math.exp(-0.5 * z * z);
  return cat.avail[i * N_WEEKS + weekOf(t)] === 1 ? trend : trend * CATALOGUE_SHAPE.unavailableWeight;
}

/** A live item of populated category `c` drawn by base popularity × weight at time `t` (rejection). */
export function sampleItem(rng: Rng, cat: Catalogue, c: number, t: number): number {
  const lo = cat.catStart[c];
  const hi = cat.catStart[c + 1];
  let i = sampleCumulative(rng, cat.itemCum, lo, hi);
  for (let tries = 0; tries < 16; tries++) {
    if (rng.next() < itemWeightAt(cat, i, t)) return i;
    i = sampleCumulative(rng, cat.itemCum, lo, hi);
  }
  return i;
}
