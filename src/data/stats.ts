/**
 * Headline figures of a data set (counts, date range, conversion funnel, visitor activity) and a
 * side-by-side comparison with the official RetailRocket totals. Cost: O(n) plus one sort of the
 * per-visitor counts.
 */
import type { Dataset } from './dataset.js';
import { OFFICIAL_RETAILROCKET } from './synthetic/official.js';

export { OFFICIAL_RETAILROCKET, RETAILROCKET_SAMPLE } from './synthetic/official.js';

/** Event totals by type, distinct transactions and visitors: counted alike for loaded and generated data. */
export interface EventTotals {
  events: number;
  view: number;
  addtocart: number;
  transaction: number;
  /** Distinct transaction ids. */
  transactions: number;
  visitors: number;
}

export interface DatasetStats extends EventTotals {
  name: string;
  synthetic: boolean;
  /** Distinct items in events. */
  items: number;
  /** Distinct known categories in events (as of event time). */
  categoriesInEvents: number;
  /** Nodes of the category tree, when the data set has one. */
  categoriesInTree?: number;
  firstEventMs: number;
  lastEventMs: number;
  /** UTC calendar days (YYYY-MM-DD) of the first and last event. */
  firstDay: string;
  lastDay: string;
  funnel: {
    /** addtocart events / view events. */
    cartPerView: number;
    /** transaction events / addtocart events. */
    transactionPerCart: number;
    /** Shares of all visitors with at least one view / addtocart / transaction. */
    visitorsViewed: number;
    visitorsCarted: number;
    visitorsBought: number;
    /** Among visitors who viewed, the share who added to cart. */
    viewersWhoCarted: number;
    /** Among visitors who added to cart, the share who bought. */
    cartersWhoBought: number;
  };
  eventsPerVisitorMean: number;
  eventsPerVisitorMedian: number;
}

/** Counts, date range, funnel and activity of `ds`. */
export function datasetStats(ds: Dataset): DatasetStats {
  const ev = ds.events;
  const n = ev.length;
  let maxUser = -1;
  let maxItem = -1;
  for (let i = 0; i < n; i++) {
    if (ev.user[i] > maxUser) maxUser = ev.user[i];
    if (ev.item[i] > maxItem) maxItem = ev.item[i];
  }
  const perUser = new Int32Array(maxUser + 1);
  const stage = new Uint8Array(maxUser + 1); // bit e set when the user has an event of code e
  const itemSeen = new Uint8Array(maxItem + 1);
  const cats = new Set<number>();
  const txIds = new Set<number>();
  const c = [0, 0, 0];
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const u = ev.user[i];
    perUser[u]++;
    stage[u] |= 1 << ev.event[i];
    itemSeen[ev.item[i]] = 1;
    c[ev.event[i]]++;
    if (ev.category[i] >= 0) cats.add(ev.category[i]);
    if (ev.event[i] === 2 && ev.transaction[i] >= 0) txIds.add(ev.transaction[i]);
    if (ev.ts[i] < first) first = ev.ts[i];
    if (ev.ts[i] > last) last = ev.ts[i];
  }
  const counts: number[] = [];
  const st = [0, 0, 0];
  let viewedCarted = 0;
  let cartedBought = 0;
  for (let u = 0; u <= maxUser; u++) {
    if (perUser[u] === 0) continue;
    counts.push(perUser[u]);
    for (let e = 0; e < 3; e++) if (stage[u] & (1 << e)) st[e]++;
    if ((stage[u] & 3) === 3) viewedCarted++;
    if ((stage[u] & 6) === 6) cartedBought++;
  }
  const visitors = counts.length;
  let items = 0;
  for (let i = 0; i <= maxItem; i++) items += itemSeen[i];
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  return {
    name: ds.meta.name,
    synthetic: ds.meta.synthetic,
    events: n,
    view: c[0],
    addtocart: c[1],
    transaction: c[2],
    transactions: txIds.size,
    visitors,
    items,
    categoriesInEvents: cats.size,
    ...(ds.categoryParent ? { categoriesInTree: ds.categoryParent.size } : {}),
    firstEventMs: n ? first : NaN,
    lastEventMs: n ? last : NaN,
    firstDay: n ? new Date(first).toISOString().slice(0, 10) : '',
    lastDay: n ? new Date(last).toISOString().slice(0, 10) : '',
    funnel: {
      cartPerView: ratio(c[1], c[0]),
      transactionPerCart: ratio(c[2], c[1]),
      visitorsViewed: ratio(st[0], visitors),
      visitorsCarted: ratio(st[1], visitors),
      visitorsBought: ratio(st[2], visitors),
      viewersWhoCarted: ratio(viewedCarted, st[0]),
      cartersWhoBought: ratio(cartedBought, st[1]),
    },
    eventsPerVisitorMean: ratio(n, visitors),
    eventsPerVisitorMedian: median(counts),
  };
}

function median(x: number[]): number {
  if (x.length === 0) return 0;
  const s = Int32Array.from(x).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface OfficialComparisonRow {
  name: string;
  generated: number;
  official: number;
  /** generated / official. */
  ratio: number;
}

/** "Generated vs official" side by side, one row per figure the official description gives. */
export function compareWithOfficial(s: DatasetStats): OfficialComparisonRow[] {
  const O = OFFICIAL_RETAILROCKET;
  const pairs: [string, number, number][] = [
    ['events', s.events, O.events],
    ['view', s.view, O.view],
    ['addtocart', s.addtocart, O.addtocart],
    ['transaction', s.transaction, O.transaction],
    ['visitors', s.visitors, O.visitors],
    ['items in events', s.items, O.itemsInEvents],
    ...(s.categoriesInTree !== undefined
      ? [['categories in tree', s.categoriesInTree, O.categoriesInTree] as [string, number, number]]
      : []),
    ['cart per view', s.funnel.cartPerView, O.cartPerView],
    ['transaction per cart', s.funnel.transactionPerCart, O.transactionPerCart],
    ['events per visitor', s.eventsPerVisitorMean, O.eventsPerVisitor],
  ];
  return pairs.map(([name, generated, official]) => ({
    name,
    generated,
    official,
    ratio: official === 0 ? NaN : generated / official,
  }));
}
