/**
 * Sessionization: rows grouped into sessions, time order inside, sessions ordered by
 * (start time, user). Cost: O(n + nUsers) for a time-sorted table (two counting sorts, no
 * comparator sort); memory ≈ 5 Int32Arrays of n.
 */
import type { EventTable } from '../../core/events.js';
import { RecError } from '../../core/errors.js';
import type { SessionIndex } from '../../models/types.js';
import { groupByKey, keyCount, timeOrder } from './order.js';

/** Default inactivity gap that ends a session: 30 minutes. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60_000;

export interface SessionizeOptions {
  /** A gap strictly longer than this starts a new session (default 30 min). */
  gapMs?: number;
  /**
   * Drop a view that repeats the item of the previous kept row of the same session when that row
   * is also a view (page reloads). Add-to-cart and transaction rows are never dropped. Default false.
   */
  collapseRepeats?: boolean;
  /** Predefined session id per row (session benchmark); used instead of time gaps. */
  given?: Int32Array;
}

/**
 * Groups the rows of `events` into sessions. With `given`, a session is the set of rows sharing a
 * given id (its user is the user of its first row); otherwise a user's time-ordered rows are cut
 * wherever two consecutive events are more than `gapMs` apart. Rows with equal ts keep row order.
 */
export function sessionize(events: EventTable, opts: SessionizeOptions = {}): SessionIndex {
  const gapMs = opts.gapMs ?? DEFAULT_SESSION_GAP_MS;
  if (!(gapMs >= 0)) throw new RecError('CONFIG_INVALID', `sessionize: gapMs must be ≥ 0, got ${gapMs}`);
  const order = timeOrder(events.ts);
  const grouped = opts.given ? groupByGiven(events, order, opts.given) : groupByGap(events, order, gapMs);
  return finish(events, order, grouped, opts.collapseRepeats ?? false);
}

/** Sessions in user-major order: `rows` in session order, `bounds` = session starts + end. */
interface Grouped {
  rows: Int32Array;
  bounds: Int32Array;
  nSessions: number;
}

function groupByGap(events: EventTable, order: Int32Array, gapMs: number): Grouped {
  const nUsers = keyCount(events.user);
  const { sorted, start } = groupByKey(order, events.user, nUsers);
  const bounds = new Int32Array(sorted.length + 1);
  let nSessions = 0;
  const ts = events.ts;
  for (let u = 0; u < nUsers; u++) {
    const s = start[u];
    const e = start[u + 1];
    for (let p = s; p < e; p++) {
      if (p === s || ts[sorted[p]] - ts[sorted[p - 1]] > gapMs) bounds[nSessions++] = p;
    }
  }
  bounds[nSessions] = sorted.length;
  return { rows: sorted, bounds, nSessions };
}

function groupByGiven(events: EventTable, order: Int32Array, given: Int32Array): Grouped {
  if (given.length !== events.length) {
    throw new RecError(
      'DATA_INVALID',
      `sessionize: given has ${given.length} entries but the table has ${events.length} rows`,
    );
  }
  for (let i = 0; i < given.length; i++) {
    if (given[i] < 0) throw new RecError('DATA_INVALID', `sessionize: given[${i}] = ${given[i]} is negative`);
  }
  const nKeys = keyCount(given);
  const { sorted, start } = groupByKey(order, given, nKeys);
  const bounds = new Int32Array(nKeys + 1);
  let nSessions = 0;
  for (let k = 0; k < nKeys; k++) if (start[k + 1] > start[k]) bounds[nSessions++] = start[k];
  bounds[nSessions] = sorted.length;
  return { rows: sorted, bounds, nSessions };
}

/**
 * Orders sessions by (start time, user) and optionally collapses repeats. Start times are ranked
 * by their first position in time order (equal ts share a rank), then sessions are counting-sorted
 * by that rank; the user-major input order breaks ties by user.
 */
function finish(events: EventTable, order: Int32Array, g: Grouped, collapse: boolean): SessionIndex {
  const n = order.length;
  const ts = events.ts;
  const rank = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    rank[order[p]] = p > 0 && ts[order[p]] === ts[order[p - 1]] ? rank[order[p - 1]] : p;
  }
  const sessionKey = new Int32Array(g.nSessions);
  const ids = new Int32Array(g.nSessions);
  for (let s = 0; s < g.nSessions; s++) {
    sessionKey[s] = rank[g.rows[g.bounds[s]]];
    ids[s] = s;
  }
  const { sorted: sessOrder } = groupByKey(ids, sessionKey, Math.max(n, 1));
  const offsets = new Int32Array(g.nSessions + 1);
  const rows = new Int32Array(g.rows.length);
  const user = new Int32Array(g.nSessions);
  let w = 0;
  for (let o = 0; o < g.nSessions; o++) {
    const s = sessOrder[o];
    offsets[o] = w;
    user[o] = events.user[g.rows[g.bounds[s]]];
    for (let p = g.bounds[s]; p < g.bounds[s + 1]; p++) {
      const row = g.rows[p];
      if (collapse && w > offsets[o] && isRepeatView(events, rows[w - 1], row)) continue;
      rows[w++] = row;
    }
  }
  offsets[g.nSessions] = w;
  return { offsets, rows: w === rows.length ? rows : rows.slice(0, w), user };
}

function isRepeatView(ev: EventTable, prev: number, row: number): boolean {
  return ev.event[row] === 0 && ev.event[prev] === 0 && ev.item[row] === ev.item[prev];
}

/** Number of sessions in `s`. */
export function sessionCount(s: SessionIndex): number {
  return s.offsets.length - 1;
}
