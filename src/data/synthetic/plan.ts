/**
 * The session plan: how many sessions each visitor has, when they start, and how many views,
 * add-to-carts and purchases each session holds. Totals are then fixed exactly to the scale's
 * targets (views, carts and bought items), so the generated files hit the official counts.
 * Shapes were tuned against the real 5,000-visitor sample: 87 % of visitors have one session,
 * 78 % of sessions one view, both with a heavy tail.
 */
import { RecError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { RETAILROCKET_END_MS, RETAILROCKET_START_MS } from './official.js';
import { lognormal, lomax } from './sampling.js';
import type { ScaleTargets } from './scales.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Minimum gap between two planned sessions of a visitor (longer than the 30-minute session gap). */
export const SESSION_SEPARATION_MS = 31 * MINUTE;
/**
 * Relative activity per UTC hour of day: the shape of the real sample's hourly event counts,
 * rounded (quiet 06–13 UTC, busy 15–23 UTC).
 */
const HOUR_PROFILE = [
  48, 50, 55, 52, 51, 41, 24, 16, 9, 6, 8, 10, 10, 19, 32, 45, 54, 63, 59, 54, 60, 63, 59, 50,
];

/** Tunable shape of visitor activity. */
export const PLAN_SHAPE = {
  singleSession: 0.868,
  extraSessions: { scale: 1.25, shape: 1.9, max: 300 },
  singleView: 0.775,
  extraViews: { scale: 2.3, shape: 2.3, max: 250 },
  /** Median and spread of the time between a visitor's sessions. */
  sessionGap: { medianMs: 1.5 * DAY, sigma: 1.7 },
  /** Spread of the per-visitor purchase propensity (lognormal). */
  propensitySigma: 1.8,
  /** Share of buying sessions that buy every carted item (the others buy one). */
  buyAll: 0.5,
  /** Share of cart sessions with a 2nd cart, and of those with a 3rd. */
  secondCart: 0.35,
  thirdCart: 0.35,
};

export interface SessionPlan {
  nVisitors: number;
  nSessions: number;
  /** Sessions of visitor v: `visitorStart[v] .. visitorStart[v+1]`. */
  visitorStart: Int32Array;
  /** Planned start (epoch ms) of each session. */
  start: Float64Array;
  nViews: Int32Array;
  nCarts: Uint8Array;
  /** Carted items bought at the end of the session (≤ nCarts). */
  nBuy: Uint8Array;
}

/** Draws a plan for `t.visitors` visitors whose totals equal `t.view`, `t.addtocart`, `t.transaction`. */
export function planSessions(rng: Rng, t: ScaleTargets): SessionPlan {
  // Every session holds at least one view, and a session with k carts at least k + 1 views.
  if (t.view < t.visitors + t.addtocart || t.transaction > t.addtocart) {
    throw new RecError(
      'CONFIG_INVALID',
      `Synthetic targets are inconsistent: ${JSON.stringify(t)}. Need view ≥ visitors + addtocart ` +
        'and transaction ≤ addtocart.',
    );
  }
  const counts = new Int32Array(t.visitors);
  const propensity = new Float64Array(t.visitors);
  let nSessions = 0;
  for (let v = 0; v < t.visitors; v++) {
    const s = PLAN_SHAPE.extraSessions;
    counts[v] =
      rng.next() < PLAN_SHAPE.singleSession
        ? 1
        : 2 + Math.min(s.max, Math.floor(lomax(rng, s.scale, s.shape)));
    propensity[v] = Math.exp(PLAN_SHAPE.propensitySigma * rng.normal());
    nSessions += counts[v];
  }
  // Small targets can draw more sessions than the views can fill (each needs a view, each cart one
  // more): drop extra sessions of multi-session visitors until the view target is reachable.
  // Never happens at the official scales, so their draws are unchanged.
  const maxSessions = t.view - t.addtocart;
  while (nSessions > maxSessions) {
    const v = rng.int(t.visitors);
    if (counts[v] > 1) {
      counts[v]--;
      nSessions--;
    }
  }
  const visitorStart = new Int32Array(t.visitors + 1);
  for (let v = 0; v < t.visitors; v++) visitorStart[v + 1] = visitorStart[v] + counts[v];
  const plan: SessionPlan = {
    nVisitors: t.visitors,
    nSessions,
    visitorStart,
    start: new Float64Array(nSessions),
    nViews: new Int32Array(nSessions),
    nCarts: new Uint8Array(nSessions),
    nBuy: new Uint8Array(nSessions),
  };
  for (let v = 0; v < t.visitors; v++) placeSessions(rng, plan, v);
  const e = PLAN_SHAPE.extraViews;
  for (let s = 0; s < nSessions; s++) {
    plan.nViews[s] =
      rng.next() < PLAN_SHAPE.singleView ? 1 : 2 + Math.min(e.max, Math.floor(lomax(rng, e.scale, e.shape)));
  }
  const sessionProp = new Float64Array(nSessions);
  for (let v = 0; v < t.visitors; v++) {
    for (let s = visitorStart[v]; s < visitorStart[v + 1]; s++) sessionProp[s] = propensity[v];
  }
  assignCarts(rng, plan, sessionProp, t.addtocart);
  assignPurchases(rng, plan, sessionProp, t.transaction);
  fixViews(rng, plan, t.view);
  return plan;
}

/** Session starts of visitor v: first at a random day and hour, then lognormal gaps. */
function placeSessions(rng: Rng, plan: SessionPlan, v: number): void {
  const a = plan.visitorStart[v];
  const b = plan.visitorStart[v + 1];
  const range = RETAILROCKET_END_MS - RETAILROCKET_START_MS - DAY;
  const g = PLAN_SHAPE.sessionGap;
  let span = 0;
  for (let s = a + 1; s < b; s++)
    span += plan.start[s] = Math.max(SESSION_SEPARATION_MS * 1.5, lognormal(rng, g.medianMs, g.sigma));
  if (span > range * 0.9) {
    const f = (range * 0.9) / span;
    span = 0;
    for (let s = a + 1; s < b; s++)
      span += plan.start[s] = Math.max(SESSION_SEPARATION_MS, plan.start[s] * f);
  }
  const dayBase = RETAILROCKET_START_MS - 3 * HOUR;
  const days = Math.max(1, Math.floor((range - span) / DAY));
  let t0 = dayBase + rng.int(days) * DAY + (drawHour(rng) + rng.next()) * HOUR;
  if (t0 < RETAILROCKET_START_MS + MINUTE) t0 += DAY;
  t0 = Math.min(Math.max(t0, RETAILROCKET_START_MS + MINUTE), RETAILROCKET_END_MS - DAY - span);
  plan.start[a] = t0;
  for (let s = a + 1; s < b; s++) plan.start[s] = plan.start[s - 1] + plan.start[s];
}

let hourCum: Float64Array | undefined;
function drawHour(rng: Rng): number {
  if (!hourCum) {
    hourCum = new Float64Array(24);
    for (let h = 0, s = 0; h < 24; h++) hourCum[h] = s += HOUR_PROFILE[h];
  }
  const x = rng.next() * hourCum[23];
  let h = 0;
  while (hourCum[h] <= x) h++;
  return h;
}

/** Bernoulli(min(0.95, c·w)) with c found by bisection so that the expected sum is `target`. */
function calibratedBernoulli(rng: Rng, w: Float64Array, target: number, pick: (i: number) => void): void {
  let lo = 0;
  let hi = 1;
  const expected = (c: number): number => {
    let s = 0;
    for (let i = 0; i < w.length; i++) s += Math.min(0.95, c * w[i]);
    return s;
  };
  while (expected(hi) < target && hi < 1e12) hi *= 2;
  for (let it = 0; it < 50; it++) {
    const m = (lo + hi) / 2;
    if (expected(m) < target) lo = m;
    else hi = m;
  }
  for (let i = 0; i < w.length; i++) if (rng.next() < Math.min(0.95, hi * w[i])) pick(i);
}

/** Cart sessions favour long sessions of visitors with a high propensity; total fixed to `target`. */
function assignCarts(rng: Rng, plan: SessionPlan, prop: Float64Array, target: number): void {
  const n = plan.nSessions;
  const w = new Float64Array(n);
  for (let s = 0; s < n; s++) w[s] = Math.pow(plan.nViews[s], 1.2) * prop[s];
  const meanCarts = 1 + PLAN_SHAPE.secondCart * (1 + PLAN_SHAPE.thirdCart);
  let total = 0;
  calibratedBernoulli(rng, w, target / meanCarts, (s) => {
    const k = rng.next() < PLAN_SHAPE.secondCart ? (rng.next() < PLAN_SHAPE.thirdCart ? 3 : 2) : 1;
    plan.nCarts[s] = k;
    total += k;
  });
  while (total > target) {
    const s = rng.int(n);
    if (plan.nCarts[s] > 0) {
      plan.nCarts[s]--;
      total--;
    }
  }
  while (total < target) {
    const s = rng.int(n);
    if (rng.next() < Math.min(1, w[s] / 4) && plan.nCarts[s] < 3) {
      plan.nCarts[s]++;
      total++;
    }
  }
  for (let s = 0; s < n; s++)
    if (plan.nViews[s] < plan.nCarts[s] + 1 && plan.nCarts[s] > 0) plan.nViews[s] = plan.nCarts[s] + 1;
}

/** Buying sessions among cart sessions (propensity-weighted); bought items fixed to `target`. */
function assignPurchases(rng: Rng, plan: SessionPlan, prop: Float64Array, target: number): void {
  const cartSessions: number[] = [];
  for (let s = 0; s < plan.nSessions; s++) if (plan.nCarts[s] > 0) cartSessions.push(s);
  const w = new Float64Array(cartSessions.length);
  for (let j = 0; j < w.length; j++)
    w[j] = Math.sqrt(prop[cartSessions[j]]) * (1 + (plan.nCarts[cartSessions[j]] - 1) * PLAN_SHAPE.buyAll);
  let rowsPerSession = 0;
  for (const s of cartSessions)
    rowsPerSession += PLAN_SHAPE.buyAll * plan.nCarts[s] + (1 - PLAN_SHAPE.buyAll);
  rowsPerSession /= Math.max(1, cartSessions.length);
  let total = 0;
  calibratedBernoulli(rng, w, target / rowsPerSession, (j) => {
    const s = cartSessions[j];
    plan.nBuy[s] = rng.next() < PLAN_SHAPE.buyAll ? plan.nCarts[s] : 1;
    total += plan.nBuy[s];
  });
  while (total > target) {
    const s = cartSessions[rng.int(cartSessions.length)];
    if (plan.nBuy[s] > 0) {
      plan.nBuy[s]--;
      total--;
    }
  }
  while (total < target) {
    const s = cartSessions[rng.int(cartSessions.length)];
    if (plan.nBuy[s] < plan.nCarts[s]) {
      plan.nBuy[s]++;
      total++;
    }
  }
}

/** Adds or removes single views (never below one view, or below carts + 1) to hit `target` exactly. */
function fixViews(rng: Rng, plan: SessionPlan, target: number): void {
  let total = 0;
  for (let s = 0; s < plan.nSessions; s++) total += plan.nViews[s];
  const n = plan.nSessions;
  let floors = 0;
  let multiView = false;
  for (let s = 0; s < n; s++) {
    floors += plan.nCarts[s] > 0 ? plan.nCarts[s] + 1 : 1;
    multiView ||= plan.nViews[s] >= 2;
  }
  if (floors > target) throw new RecError('NUMERIC', `Cannot fit ${target} views into ${n} sessions`);
  while (total !== target) {
    const s = rng.int(n);
    const floor = plan.nCarts[s] > 0 ? plan.nCarts[s] + 1 : 1;
    // Extra views go to sessions that already have several (keeps 1-view sessions the mode).
    if (total < target && (plan.nViews[s] >= 2 || !multiView)) {
      plan.nViews[s]++;
      total++;
    } else if (total > target && plan.nViews[s] > floor) {
      plan.nViews[s]--;
      total--;
    }
  }
}
