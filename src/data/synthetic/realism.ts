/**
 * Realism check: compares the behavioural distributions of a synthetic event table with real
 * RetailRocket events — visitor activity, sessions (30-minute gap), dwell times, repeat views,
 * the item popularity curve and the conversion funnel. Returns data only.
 * Cost: O(n log n) (sorts for the KS statistics and the popularity curve).
 */
import type { EventTable } from '../../core/events.js';
import { filterEvents } from '../../core/events.js';
import { Rng } from '../../core/rng.js';
import { DEFAULT_SESSION_GAP_MS, sessionize } from '../processing/sessions.js';

export interface RealismOptions {
  /** Inactivity gap that ends a session (default 30 minutes). */
  gapMs?: number;
  /**
   * Compare random subsets of at most this many visitors of each table (seeded). Item-level
   * figures (top-item shares, Gini) depend on how many events are counted, so compare tables of
   * similar size — e.g. 5,000 synthetic visitors against the 5,000-visitor real sample.
   */
  sampleVisitors?: number;
  seed?: number;
}

export interface RealismRow {
  metric: string;
  synthetic: number;
  real: number;
  /** synthetic − real. */
  difference: number;
  /** Two-sample Kolmogorov–Smirnov statistic D of the underlying distribution, when it is one. */
  ks?: number;
}

export interface RealismReport {
  rows: RealismRow[];
  syntheticEvents: number;
  realEvents: number;
  gapMs: number;
}

/** Behavioural figures of one table, plus the samples behind the distributions. */
interface Profile {
  scalars: Record<string, number>;
  eventsPerVisitor: Float64Array;
  sessionLength: Float64Array;
  gapSeconds: Float64Array;
}

/** Compares `synthetic` with `real` metric by metric. */
export function compareRealism(
  synthetic: EventTable,
  real: EventTable,
  opts: RealismOptions = {},
): RealismReport {
  const gapMs = opts.gapMs ?? DEFAULT_SESSION_GAP_MS;
  const rng = new Rng(opts.seed ?? 1);
  const s = opts.sampleVisitors ? sampleVisitors(synthetic, opts.sampleVisitors, rng) : synthetic;
  const r = opts.sampleVisitors ? sampleVisitors(real, opts.sampleVisitors, rng) : real;
  const ps = profile(s, gapMs);
  const pr = profile(r, gapMs);
  const ksOf: Record<string, number> = {
    events_per_visitor: ksStatistic(ps.eventsPerVisitor, pr.eventsPerVisitor),
    session_length: ksStatistic(ps.sessionLength, pr.sessionLength),
    gap_seconds: ksStatistic(ps.gapSeconds, pr.gapSeconds),
  };
  const rows: RealismRow[] = Object.keys(ps.scalars).map((metric) => {
    const row: RealismRow = {
      metric,
      synthetic: ps.scalars[metric],
      real: pr.scalars[metric],
      difference: ps.scalars[metric] - pr.scalars[metric],
    };
    const family = Object.keys(ksOf).find((k) => metric.startsWith(k));
    if (family && metric.endsWith('median')) row.ks = ksOf[family];
    return row;
  });
  return { rows, syntheticEvents: s.length, realEvents: r.length, gapMs };
}

/** Rows of at most `k` randomly chosen users. */
export function sampleVisitors(t: EventTable, k: number, rng: Rng): EventTable {
  const present: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    if (seen.has(t.user[i])) continue;
    seen.add(t.user[i]);
    present.push(t.user[i]);
  }
  if (present.length <= k) return t;
  present.sort((a, b) => a - b);
  rng.shuffle(present);
  const keep = new Set(present.slice(0, k));
  return filterEvents(t, (i) => keep.has(t.user[i]));
}

function profile(t: EventTable, gapMs: number): Profile {
  const sess = sessionize(t, { gapMs });
  const nS = sess.offsets.length - 1;
  const sessionLength = new Float64Array(nS);
  const gaps: number[] = [];
  for (let s = 0; s < nS; s++) {
    sessionLength[s] = sess.offsets[s + 1] - sess.offsets[s];
    for (let p = sess.offsets[s] + 1; p < sess.offsets[s + 1]; p++) {
      gaps.push((t.ts[sess.rows[p]] - t.ts[sess.rows[p - 1]]) / 1000);
    }
  }
  const perUser = new Map<number, number>();
  const sessionsPerUser = new Map<number, number>();
  for (let i = 0; i < t.length; i++) perUser.set(t.user[i], (perUser.get(t.user[i]) ?? 0) + 1);
  for (let s = 0; s < nS; s++)
    sessionsPerUser.set(sess.user[s], (sessionsPerUser.get(sess.user[s]) ?? 0) + 1);
  const epv = Float64Array.from(perUser.values());
  const spv = Float64Array.from(sessionsPerUser.values());
  const gapSeconds = Float64Array.from(gaps);
  const scalars: Record<string, number> = {
    visitors: epv.length,
    events_per_visitor_mean: mean(epv),
    events_per_visitor_median: quantile(epv, 0.5),
    events_per_visitor_p90: quantile(epv, 0.9),
    share_single_event_visitors: share(epv, (x) => x === 1),
    sessions_per_visitor_mean: mean(spv),
    share_returning_visitors: share(spv, (x) => x > 1),
    session_length_mean: mean(sessionLength),
    session_length_median: quantile(sessionLength, 0.5),
    share_single_event_sessions: share(sessionLength, (x) => x === 1),
    gap_seconds_median: quantile(gapSeconds, 0.5),
    gap_seconds_p25: quantile(gapSeconds, 0.25),
    gap_seconds_p75: quantile(gapSeconds, 0.75),
    ...repeatAndFunnel(t),
    ...popularity(t),
  };
  return { scalars, eventsPerVisitor: epv, sessionLength, gapSeconds };
}

/** Share of repeated views, funnel rates per event and per visitor, items per transaction. */
function repeatAndFunnel(t: EventTable): Record<string, number> {
  const seenPair = new Set<number>();
  let views = 0;
  let repeats = 0;
  const c = [0, 0, 0];
  const stage = [new Set<number>(), new Set<number>(), new Set<number>()];
  const txIds = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    const e = t.event[i];
    c[e]++;
    stage[e].add(t.user[i]);
    if (e === 2 && t.transaction[i] >= 0) txIds.add(t.transaction[i]);
    if (e !== 0) continue;
    views++;
    const key = t.user[i] * 4_194_304 + t.item[i];
    if (seenPair.has(key)) repeats++;
    else seenPair.add(key);
  }
  const among = (a: Set<number>, b: Set<number>): number => {
    let k = 0;
    for (const u of b) if (a.has(u)) k++;
    return b.size === 0 ? 0 : k / b.size;
  };
  return {
    share_repeat_views: views === 0 ? 0 : repeats / views,
    cart_per_view: c[0] === 0 ? 0 : c[1] / c[0],
    transaction_per_cart: c[1] === 0 ? 0 : c[2] / c[1],
    viewers_who_carted: among(stage[1], stage[0]),
    carters_who_bought: among(stage[2], stage[1]),
    items_per_transaction: txIds.size === 0 ? 0 : c[2] / txIds.size,
  };
}

/** Item popularity curve: share of events on the top 1 % / 10 % of items, Gini of event counts. */
function popularity(t: EventTable): Record<string, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < t.length; i++) counts.set(t.item[i], (counts.get(t.item[i]) ?? 0) + 1);
  const x = Float64Array.from(counts.values()).sort();
  const n = x.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    weighted += (i + 1) * x[i];
  }
  const top = (f: number): number => {
    const k = Math.max(1, Math.floor(n * f));
    let s = 0;
    for (let i = n - k; i < n; i++) s += x[i];
    return total === 0 ? 0 : s / total;
  };
  return {
    items: n,
    events_per_item_mean: n === 0 ? 0 : total / n,
    top1pct_item_share: top(0.01),
    top10pct_item_share: top(0.1),
    item_gini: n === 0 || total === 0 ? 0 : (2 * weighted) / (n * total) - (n + 1) / n,
  };
}

/** Two-sample Kolmogorov–Smirnov statistic D = max |F1(x) − F2(x)| (ties handled exactly). */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length === 0 ? 0 : s / x.length;
}

/** Quantile by linear interpolation between order statistics. */
function quantile(x: Float64Array, q: number): number {
  if (x.length === 0) return 0;
  const s = Float64Array.from(x).sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

function share(x: Float64Array, pred: (v: number) => boolean): number {
  let k = 0;
  for (let i = 0; i < x.length; i++) if (pred(x[i])) k++;
  return x.length === 0 ? 0 : k / x.length;
}
