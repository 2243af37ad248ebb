/**
 * Row orderings shared by the processing steps. All are O(n): counting sorts, and the LSD radix sort
 * of `stableOrderByTime` for time order (identity when the table is already sorted by time, the
 * `EventTable` contract).
 */
import type { EventTable } from '../../core/events.js';
import { stableOrderByTime } from '../csv/stable-order.js';

/** True when `ts` is non-decreasing. */
export function isTimeSorted(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (ts[i] < ts[i - 1]) return false;
  return true;
}

/**
 * Row indices in time order, ties by row index: `stableOrderByTime` under the name the processing
 * steps use. Identity (no sort) for a time-sorted table; otherwise an O(n) radix sort (0.6 s for
 * 2.76 M shuffled millisecond stamps on the 2-core machine, vs 1.9 s for a comparator sort).
 */
export const timeOrder: (ts: Float64Array) => Int32Array = stableOrderByTime;

/**
 * Stable counting sort of `rows` by `key[row]` (keys in `[0, nKeys)`): rows with the same key keep
 * the order they have in `rows`. Returns the sorted rows and `start` (length nKeys + 1) so that key
 * k owns `sorted[start[k] .. start[k+1])`. Cost: O(rows + nKeys), two Int32Arrays.
 */
export function groupByKey(
  rows: Int32Array,
  key: Int32Array,
  nKeys: number,
): { sorted: Int32Array; start: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let r = 0; r < rows.length; r++) start[key[rows[r]] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const fill = start.slice(0, nKeys);
  const sorted = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    sorted[fill[key[row]]++] = row;
  }
  return { sorted, start };
}

/** 1 + the largest value of `a` over `rows` (0 when empty). */
export function keyCount(a: Int32Array, rows?: Int32Array): number {
  let m = -1;
  if (rows) for (let r = 0; r < rows.length; r++) m = Math.max(m, a[rows[r]]);
  else for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m + 1;
}

/**
 * Rows of `events` grouped by user, time order inside each user (ties by row index).
 * `start[u] .. start[u+1]` are user u's positions in `sorted`.
 */
export function rowsByUser(
  events: EventTable,
  nUsers = keyCount(events.user),
  rows: Int32Array = timeOrder(events.ts),
): { sorted: Int32Array; start: Int32Array } {
  return groupByKey(rows, events.user, nUsers);
}

/** Rows (in time order) with `ts < asOf`. */
export function rowsBefore(events: EventTable, asOf: number): Int32Array {
  const order = timeOrder(events.ts);
  let n = 0;
  for (let r = 0; r < order.length; r++) if (events.ts[order[r]] < asOf) order[n++] = order[r];
  return order.slice(0, n);
}
