/**
 * Turns a session plan into events. Each visitor has 1–3 persistent category interests; each
 * session has an intent (one interest, an earlier item when returning, or a random category),
 * browses and compares items of that category (Zipf-like popularity × trend × availability),
 * re-views items, hops to the complementary category, carts viewed items — the second cart is
 * often the complement of the first — and buys them together at the end.
 * Cost: O(events · log(items per category)); memory: five typed arrays of the event count.
 */
import { RecError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { type Catalogue, sampleItem } from './catalogue.js';
import type { CategoryTree } from './category-tree.js';
import { RETAILROCKET_END_MS } from './official.js';
import { SESSION_SEPARATION_MS, type SessionPlan } from './plan.js';
import { lognormal, sampleCumulative } from './sampling.js';

/** Tunable behaviour inside sessions. */
export const SESSION_SHAPE = {
  /** Probability that a later session starts from an item the visitor saw before. */
  revisit: 0.35,
  /** Probability that a session follows one of the visitor's interests (else a random category). */
  followInterest: 0.9,
  /** Per view after the first: re-view an earlier item, or hop to another category. */
  repeatView: 0.3,
  hopCategory: 0.08,
  /** Probability that the second cart of a session is the complement of the first. */
  complementCart: 0.75,
  /** Gap between views in a session: lognormal median (ms) and sigma, below the session gap. */
  viewGap: { medianMs: 76_000, sigma: 1.45, maxMs: 29 * 60_000 },
  checkoutGap: { medianMs: 120_000, sigma: 0.7 },
};

/** Generated events in generation order (visitor by visitor), with internal indices. */
export interface SimulatedEvents {
  length: number;
  ts: Float64Array;
  visitor: Int32Array;
  item: Int32Array;
  event: Uint8Array;
  transaction: Int32Array;
  nTransactions: number;
}

/** Per-session scratch space, allocated once. */
interface Scratch {
  items: Int32Array;
  ts: Float64Array;
  cartItems: Int32Array;
  cartPos: Int32Array;
  history: Int32Array;
  historyLen: number;
  interests: Int32Array;
  nInterests: number;
}

/** Simulates every planned session; `onVisitor` is called every 65,536 visitors with the count done. */
export function simulate(
  rng: Rng,
  plan: SessionPlan,
  cat: Catalogue,
  tree: CategoryTree,
  onVisitor?: (done: number) => void,
): SimulatedEvents {
  let n = 0;
  for (let s = 0; s < plan.nSessions; s++) n += plan.nViews[s] + plan.nCarts[s] + plan.nBuy[s];
  let maxViews = 1;
  for (let s = 0; s < plan.nSessions; s++) maxViews = Math.max(maxViews, plan.nViews[s]);
  const out: SimulatedEvents = {
    length: n,
    ts: new Float64Array(n),
    visitor: new Int32Array(n),
    item: new Int32Array(n),
    event: new Uint8Array(n),
    transaction: new Int32Array(n).fill(-1),
    nTransactions: 0,
  };
  const sc: Scratch = {
    items: new Int32Array(maxViews),
    ts: new Float64Array(maxViews),
    cartItems: new Int32Array(4),
    cartPos: new Int32Array(4),
    history: new Int32Array(32),
    historyLen: 0,
    interests: new Int32Array(3),
    nInterests: 0,
  };
  let w = 0;
  for (let v = 0; v < plan.nVisitors; v++) {
    drawInterests(rng, cat, tree, sc);
    sc.historyLen = 0;
    let prevEnd = -Infinity;
    for (let s = plan.visitorStart[v]; s < plan.visitorStart[v + 1]; s++) {
      const t0 = Math.min(
        Math.max(plan.start[s], prevEnd + SESSION_SEPARATION_MS),
        RETAILROCKET_END_MS - 3_600_000,
      );
      const first = s > plan.visitorStart[v];
      w = session(rng, plan, s, cat, tree, sc, t0, first, v, out, w);
      prevEnd = out.ts[w - 1];
    }
    if (onVisitor && (v & 0xffff) === 0xffff) onVisitor(v + 1);
  }
  if (w !== n) throw new RecError('NUMERIC', `Synthetic simulation wrote ${w} events, planned ${n}`);
  return out;
}

function drawInterests(rng: Rng, cat: Catalogue, tree: CategoryTree, sc: Scratch): void {
  const k = cat.catCum.length;
  sc.interests[0] = sampleCumulative(rng, cat.catCum, 0, k);
  sc.nInterests = 1 + (rng.next() < 0.55 ? 1 : 0) + (rng.next() < 0.25 ? 1 : 0);
  for (let j = 1; j < sc.nInterests; j++) {
    sc.interests[j] =
      rng.next() < 0.35 ? tree.complement[sc.interests[j - 1]] : sampleCumulative(rng, cat.catCum, 0, k);
  }
}

function intentCategory(rng: Rng, cat: Catalogue, sc: Scratch): number {
  if (rng.next() >= SESSION_SHAPE.followInterest)
    return sampleCumulative(rng, cat.catCum, 0, cat.catCum.length);
  const r = rng.next();
  const j = r < 0.6 || sc.nInterests === 1 ? 0 : r < 0.88 || sc.nInterests === 2 ? 1 : 2;
  return sc.interests[j];
}

function viewGap(rng: Rng): number {
  const g = SESSION_SHAPE.viewGap;
  let d = lognormal(rng, g.medianMs, g.sigma);
  while (d > g.maxMs || d < 1_000) d = lognormal(rng, g.medianMs, g.sigma);
  return Math.round(d);
}

/** Writes the events of session `s` at `out[w..]`; returns the new write position. */
function session(
  rng: Rng,
  plan: SessionPlan,
  s: number,
  cat: Catalogue,
  tree: CategoryTree,
  sc: Scratch,
  t0: number,
  returning: boolean,
  v: number,
  out: SimulatedEvents,
  w: number,
): number {
  const nV = plan.nViews[s];
  const nC = plan.nCarts[s];
  let c: number;
  let t = Math.round(t0);
  if (returning && sc.historyLen > 0 && rng.next() < SESSION_SHAPE.revisit) {
    sc.items[0] = sc.history[rng.int(Math.min(sc.historyLen, sc.history.length))];
    c = cat.itemCat[sc.items[0]];
  } else {
    c = intentCategory(rng, cat, sc);
    sc.items[0] = sampleItem(rng, cat, c, t);
  }
  sc.ts[0] = t;
  for (let j = 1; j < nV; j++) {
    t += viewGap(rng);
    sc.ts[j] = t;
    const r = rng.next();
    if (r < SESSION_SHAPE.repeatView) {
      const q = rng.next();
      sc.items[j] = q < 0.45 ? sc.items[j - 1] : q < 0.75 ? sc.items[0] : sc.items[rng.int(j)];
    } else {
      if (r < SESSION_SHAPE.repeatView + SESSION_SHAPE.hopCategory) {
        c = rng.next() < 0.5 ? tree.complement[c] : sc.interests[rng.int(sc.nInterests)];
      }
      sc.items[j] = sampleItem(rng, cat, c, t);
    }
  }
  if (nC > 0) chooseCarts(rng, cat, sc, nV, nC);
  // Emit views, each cart right after the last view of its item.
  for (let j = 0; j < nV; j++) {
    out.ts[w] = sc.ts[j];
    out.visitor[w] = v;
    out.item[w] = sc.items[j];
    out.event[w++] = 0;
    let placed = 0;
    for (let m = 0; m < nC; m++) {
      if (sc.cartPos[m] !== j) continue;
      const room = j + 1 < nV ? sc.ts[j + 1] - sc.ts[j] : 90_000;
      out.ts[w] = sc.ts[j] + Math.max(1, Math.round(room * (0.3 + 0.15 * placed++)));
      out.visitor[w] = v;
      out.item[w] = sc.cartItems[m];
      out.event[w++] = 1;
    }
  }
  const nB = plan.nBuy[s];
  if (nB > 0) {
    const g = SESSION_SHAPE.checkoutGap;
    const tt = out.ts[w - 1] + Math.round(Math.min(25 * 60_000, lognormal(rng, g.medianMs, g.sigma)));
    const id = out.nTransactions++;
    for (let m = 0; m < nB; m++) {
      out.ts[w] = tt;
      out.visitor[w] = v;
      out.item[w] = sc.cartItems[m];
      out.event[w] = 2;
      out.transaction[w++] = id;
    }
  }
  for (let j = 0; j < nV; j++) {
    const it = sc.items[j];
    if (j > 0 && it === sc.items[j - 1]) continue;
    sc.history[sc.historyLen++ % sc.history.length] = it;
  }
  return w;
}

/**
 * Cart items: the session's first item, then (often) its complement — written over a later view so
 * that it is viewed first — then other viewed items. `cartPos` is the last view of each cart item.
 */
function chooseCarts(rng: Rng, cat: Catalogue, sc: Scratch, nV: number, nC: number): void {
  sc.cartItems[0] = sc.items[0];
  let m = 1;
  if (nC >= 2 && rng.next() < SESSION_SHAPE.complementCart) {
    const comp = cat.complement[sc.items[0]];
    const p = 1 + rng.int(nV - 1);
    sc.items[p] = comp;
    if (comp !== sc.items[0]) sc.cartItems[m++] = comp;
  }
  for (let j = 1; j < nV && m < nC; j++) {
    const it = sc.items[j];
    let seen = false;
    for (let q = 0; q < m; q++) if (sc.cartItems[q] === it) seen = true;
    if (!seen) sc.cartItems[m++] = it;
  }
  while (m < nC) sc.cartItems[m++] = sc.items[0];
  for (let q = 0; q < nC; q++) {
    let last = 0;
    for (let j = 0; j < nV; j++) if (sc.items[j] === sc.cartItems[q]) last = j;
    sc.cartPos[q] = last;
  }
}
