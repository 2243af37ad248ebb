/**
 * Tiny hand-written training sets for the neighbourhood model tests: one row per event
 * `[user, item, event, session, transaction?]`, in time order (one minute apart).
 */
import { allocEvents } from '../../../core/events.js';
import type { Query, TrainData } from '../../types.js';

export type EventRow = readonly [
  user: number,
  item: number,
  event: 0 | 1 | 2,
  session: number,
  transaction?: number,
];

export function tinyTrainData(rows: readonly EventRow[], nItems?: number): TrainData {
  const ev = allocEvents(rows.length);
  const t0 = Date.UTC(2015, 5, 1);
  let nUsers = 0;
  let nSessions = 0;
  let maxItem = -1;
  rows.forEach(([u, i, e, s, tx], r) => {
    ev.user[r] = u;
    ev.item[r] = i;
    ev.event[r] = e;
    ev.ts[r] = t0 + r * 60_000;
    ev.transaction[r] = tx ?? -1;
    nUsers = Math.max(nUsers, u + 1);
    nSessions = Math.max(nSessions, s + 1);
    maxItem = Math.max(maxItem, i);
  });
  // Sessions: rows grouped by session id, time order inside; sessions numbered by first row.
  const bySession: number[][] = Array.from({ length: nSessions }, () => []);
  rows.forEach(([, , , s], r) => bySession[s].push(r));
  const offsets = new Int32Array(nSessions + 1);
  const flat: number[] = [];
  const user = new Int32Array(nSessions);
  bySession.forEach((list, s) => {
    flat.push(...list);
    offsets[s + 1] = flat.length;
    user[s] = list.length ? rows[list[0]][0] : 0;
  });
  const n = nItems ?? maxItem + 1;
  return {
    nUsers,
    nItems: n,
    events: ev,
    sessions: { offsets, rows: Int32Array.from(flat), user },
    itemCategory: new Int32Array(n).fill(-1),
    cutTime: t0 + rows.length * 60_000,
    synthetic: true,
    fingerprint: 'tiny',
  };
}

/** A matrix given as dense user × item counts, as view events (count v = v views), one session per user. */
export function countsTrainData(m: readonly (readonly number[])[]): TrainData {
  const rows: EventRow[] = [];
  m.forEach((row, u) =>
    row.forEach((v, i) => {
      for (let c = 0; c < v; c++) rows.push([u, i, 0, u]);
    }),
  );
  return tinyTrainData(rows, m[0].length);
}

/** An anonymous query with these items as views (the current session starts at `sessionStart`). */
export function sessionQuery(items: readonly number[], sessionStart = 0): Query {
  return {
    user: -1,
    items: Int32Array.from(items),
    events: new Uint8Array(items.length),
    sessionStart,
    time: 0,
  };
}
