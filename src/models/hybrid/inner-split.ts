/**
 * The hybrid's inner temporal validation, carved from its own training data (the hybrid's `fit`
 * sees only TrainData): events before `innerCut` (the first 1 − f of the time span) train the
 * components, and every user active in [innerCut, cutTime) becomes one case — history = their
 * events before innerCut, targets = the distinct items they touched after it — exactly like P1.
 * The index space (users, items) is kept, so inner components score the same catalogue.
 *
 * Cost: O(events) time and memory.
 */
import { takeEvents } from '../../core/events.js';
import type { Rng } from '../../core/rng.js';
import { funnelStageCode, type FunnelConfig } from '../../data/processing/funnel.js';
import type { Query, SessionIndex, TrainData } from '../types.js';

/** One inner validation case. */
export interface InnerCase {
  query: Query;
  /** Distinct target items, ascending. */
  targets: Int32Array;
  /** Funnel stage code of the query at innerCut. */
  stage: number;
}

export interface InnerSplit {
  train: TrainData;
  cases: InnerCase[];
  innerCut: number;
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

/**
 * Splits `data` at the time that leaves the last `fraction` of its time span for validation;
 * at most `maxCases` cases are kept (seeded sample). Returns null when either side is empty.
 */
export function innerSplit(
  data: TrainData,
  opts: { fraction: number; maxCases: number; sessionGapMs: number; funnel: FunnelConfig; rng: Rng },
): InnerSplit | null {
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
  let users = Int32Array.from(future.keys()).sort();
  if (users.length > opts.maxCases) users = opts.rng.shuffle(users).subarray(0, opts.maxCases).sort();
  const cases: InnerCase[] = [];
  for (const u of users) {
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
    cases.push({ query, targets: Int32Array.from(future.get(u)!).sort(), stage });
  }
  return { train, cases, innerCut };
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
