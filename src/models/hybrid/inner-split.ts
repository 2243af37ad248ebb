/**
 * The hybrid's inner temporal validation, carved from its own training data (the hybrid's `fit`
 * sees only TrainData): events before `innerCut` (the first 1 − f of the time span) train the
 * components; the cases come from the events in [innerCut, cutTime), built like the outer protocol:
 *
 * - `users` (P1-style): every user active after innerCut is one case — history = their events
 *   before innerCut, targets = the distinct items they touched after it, stage = THE shared
 *   `funnelStageCode` of that history as of innerCut. A seeded sample of `maxCases` users is the
 *   `natural` sample (the outer protocol's mix of stages); with `perStageCases` > 0, each funnel
 *   stage is then topped up with further seeded users of that stage up to `perStageCases` cases,
 *   so that rare stages (intent, converted — a few % of the users) have enough cases to learn a
 *   row of their own. Top-up cases are flagged `natural: false`; the shared weights are learned on
 *   the natural sample only.
 * - `sessions` (P2-style, anonymous sessions): every session starting after innerCut with n ≥ 3
 *   items gives the cases prefix i1..ik → next item i(k+1), k = 2 … n−1 (user −1, items unknown to
 *   the inner training removed first), a seeded sample of `maxCases` of them.
 * - `auto`: `sessions` when the data are anonymous sessions (at most 0.5 % of the users with events
 *   have more than one session — one "user" per session, as the session benchmark loads), else
 *   `users`.
 *
 * The index space (users, items) is kept, so inner components score the same catalogue.
 * Cost: O(events) time and memory.
 */
import { takeEvents } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import { funnelStageCode, type FunnelConfig } from '../../data/processing/funnel.js';
import type { Query, SessionIndex, TrainData } from '../types.js';

const N_STAGES = 4;

/** One inner validation case. */
export interface InnerCase {
  query: Query;
  /** Distinct target items, ascending. */
  targets: Int32Array;
  /** Funnel stage code of the query as of its time. */
  stage: number;
  /** Part of the natural (unstratified) sample; false for per-stage top-up cases. */
  natural: boolean;
}

export interface InnerSplit {
  train: TrainData;
  cases: InnerCase[];
  innerCut: number;
  /** How the cases were built. */
  mode: 'users' | 'sessions';
}

export interface InnerSplitOptions {
  fraction: number;
  maxCases: number;
  /** Top-up of each funnel stage to this many cases (users mode; 0 = natural sample only). */
  perStageCases?: number;
  /** Case construction (default `auto`). */
  cases?: 'auto' | 'users' | 'sessions';
  sessionGapMs: number;
  funnel: FunnelConfig;
  rng: Rng;
}

/** First row whose time is ≥ t (events are time-sorted). */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sessions restricted to rows < m (empty sessions dropped). */
function prefixSessions(s: SessionIndex, m: number): SessionIndex {
  const offsets: number[] = [0];
  const rows: number[] = [];
  const user: number[] = [];
  for (let k = 0; k + 1 < s.offsets.length; k++) {
    const before = rows.length;
    for (let p = s.offsets[k]; p < s.offsets[k + 1]; p++) if (s.rows[p] < m) rows.push(s.rows[p]);
    if (rows.length > before) {
      offsets.push(rows.length);
      user.push(s.user[k]);
    }
  }
  return { offsets: Int32Array.from(offsets), rows: Int32Array.from(rows), user: Int32Array.from(user) };
}

/** True when the users are anonymous sessions: ≤ 0.5 % of users with events have several sessions. */
export function isSessionData(s: SessionIndex): boolean {
  const count = new Map<number, number>();
  for (const u of s.user) count.set(u, (count.get(u) ?? 0) + 1);
  if (count.size === 0) return false;
  let multi = 0;
  for (const c of count.values()) if (c > 1) multi++;
  return multi <= 0.005 * count.size;
}

/**
 * Splits `data` at the time that leaves the last `fraction` of its time span for validation and
 * builds the cases (see the module comment). Returns null when either side is empty.
 */
export function innerSplit(data: TrainData, opts: InnerSplitOptions): InnerSplit | null {
  const ev = data.events;
  if (ev.length < 2) return null;
  const t0 = ev.ts[0];
  const innerCut = t0 + (1 - opts.fraction) * (data.cutTime - t0);
  const m = lowerBound(ev.ts, innerCut);
  if (m === 0 || m === ev.length) return null;
  const rows = new Int32Array(m);
  for (let r = 0; r < m; r++) rows[r] = r;
  const train: TrainData = {
    ...data,
    events: takeEvents(ev, rows),
    sessions: prefixSessions(data.sessions, m),
    cutTime: innerCut,
    fingerprint: `${data.fingerprint}:hybrid-inner@${innerCut}`,
  };
  const mode =
    opts.cases === 'users' || opts.cases === 'sessions'
      ? opts.cases
      : isSessionData(data.sessions)
        ? 'sessions'
        : 'users';
  const cases = mode === 'sessions' ? sessionCases(data, m, opts) : userCases(data, m, innerCut, opts);
  return { train, cases, innerCut, mode };
}

function userCases(data: TrainData, m: number, innerCut: number, opts: InnerSplitOptions): InnerCase[] {
  const ev = data.events;
  const hist = new Map<number, number[]>();
  for (let r = 0; r < m; r++) {
    let l = hist.get(ev.user[r]);
    if (!l) hist.set(ev.user[r], (l = []));
    l.push(r);
  }
  const future = new Map<number, Set<number>>();
  for (let r = m; r < ev.length; r++) {
    let s = future.get(ev.user[r]);
    if (!s) future.set(ev.user[r], (s = new Set()));
    s.add(ev.item[r]);
  }
  const make = (u: number): InnerCase => {
    const h = hist.get(u) ?? [];
    const query = historyQuery(ev, h, hist.has(u) ? u : -1, innerCut, opts.sessionGapMs);
    const all = Int32Array.from(query.items.keys());
    const stage = funnelStageCode(
      query.events,
      query.ts!,
      query.items,
      all,
      0,
      all.length,
      innerCut,
      opts.funnel,
    );
    return { query, targets: Int32Array.from(future.get(u)!).sort(), stage, natural: true };
  };
  const users = Int32Array.from(future.keys()).sort();
  const order = opts.rng.shuffle(users.slice());
  const nNatural = Math.min(order.length, opts.maxCases);
  const chosen = Array.from(order.subarray(0, nNatural)).sort((a, b) => a - b);
  const cases = chosen.map(make);
  const cap = opts.perStageCases ?? 0;
  if (cap > 0 && nNatural < order.length) {
    const have = new Array<number>(N_STAGES).fill(0);
    for (const c of cases) have[c.stage]++;
    const extra: InnerCase[] = [];
    // Walk the rest of the seeded order; only users of stages still below the cap are kept.
    for (let p = nNatural; p < order.length && have.some((h) => h < cap); p++) {
      const c = make(order[p]);
      if (have[c.stage] >= cap) continue;
      have[c.stage]++;
      extra.push({ ...c, natural: false });
    }
    cases.push(...extra);
  }
  return cases;
}

function sessionCases(data: TrainData, m: number, opts: InnerSplitOptions): InnerCase[] {
  const ev = data.events;
  const s = data.sessions;
  const known = new Uint8Array(data.nItems);
  for (let r = 0; r < m; r++) known[ev.item[r]] = 1;
  const all: InnerCase[] = [];
  for (let k = 0; k + 1 < s.offsets.length; k++) {
    const a = s.offsets[k];
    const b = s.offsets[k + 1];
    if (b - a < 3 || s.rows[a] < m) continue;
    const kept: number[] = [];
    for (let p = a; p < b; p++) if (known[ev.item[s.rows[p]]]) kept.push(s.rows[p]);
    const items = Int32Array.from(kept, (r) => ev.item[r]);
    const events = Uint8Array.from(kept, (r) => ev.event[r]);
    const ts = Float64Array.from(kept, (r) => ev.ts[r]);
    for (let j = 2; j <= items.length - 1; j++) {
      const query: Query = {
        user: -1,
        items: items.subarray(0, j),
        events: events.subarray(0, j),
        ts: ts.subarray(0, j),
        sessionStart: 0,
        time: ts[j - 1],
      };
      const rowsJ = Int32Array.from({ length: j }, (_, i) => i);
      const stage = funnelStageCode(
        query.events,
        query.ts!,
        query.items,
        rowsJ,
        0,
        j,
        query.time,
        opts.funnel,
      );
      all.push({ query, targets: Int32Array.of(items[j]), stage, natural: true });
    }
  }
  if (all.length <= opts.maxCases) return all;
  const idx = opts.rng.shuffle(Int32Array.from(all.keys())).subarray(0, opts.maxCases).sort();
  return Array.from(idx, (i) => all[i]);
}

function historyQuery(
  ev: TrainData['events'],
  rows: number[],
  user: number,
  time: number,
  gapMs: number,
): Query {
  const items = Int32Array.from(rows, (r) => ev.item[r]);
  const events = Uint8Array.from(rows, (r) => ev.event[r]);
  const ts = Float64Array.from(rows, (r) => ev.ts[r]);
  let sessionStart = Math.max(ts.length - 1, 0);
  while (sessionStart > 0 && ts[sessionStart] - ts[sessionStart - 1] <= gapMs) sessionStart--;
  return { user, items, events, ts, sessionStart, time };
}
