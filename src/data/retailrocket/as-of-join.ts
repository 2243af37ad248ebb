import { stableOrderByTime } from '../csv/stable-order.js';

/** Result of joining one snapshot property to the events. */
export interface AsOfResult {
  /** Per event: the snapshot value, or -1 when the item has no snapshot at all. */
  value: Int32Array;
  /** Events that precede their item's first snapshot and took the earliest one instead. */
  fallback: number;
  /** Events whose item has no snapshot. */
  missing: number;
}

/**
 * For every event, the value of the latest snapshot of its item with `snapTs <= eventTs`; an event
 * before its item's first snapshot takes the earliest snapshot (the properties are product metadata
 * recorded weekly from 2015-05-10, so the first snapshot is the best knowledge of the item's state
 * then) and is counted in `fallback`.
 *
 * Inputs: events sorted by time (`eventTs`, `eventItem` dense indices in `[0, nItems)`), snapshots
 * in any order (`snapItem` dense index, -1 to ignore). O(events + snapshots) after an O(s) radix
 * sort; memory 3 × snapshots + nItems Int32.
 */
export function asOfJoin(
  eventTs: Float64Array,
  eventItem: Int32Array,
  nItems: number,
  snapTs: Float64Array,
  snapItem: Int32Array,
  snapValue: Int32Array,
): AsOfResult {
  // Group snapshots by item, each group in time order (stable radix by time, then counting by item).
  const byTime = stableOrderByTime(snapTs);
  const start = new Int32Array(nItems + 1);
  for (let k = 0; k < snapItem.length; k++) if (snapItem[k] >= 0) start[snapItem[k] + 1]++;
  for (let j = 0; j < nItems; j++) start[j + 1] += start[j];
  const fill = start.slice(0, nItems);
  const grouped = new Int32Array(start[nItems]);
  for (let r = 0; r < byTime.length; r++) {
    const k = byTime[r];
    const j = snapItem[k];
    if (j >= 0) grouped[fill[j]++] = k;
  }
  // Walk events in time order with one cursor per item (the last snapshot at or before the event).
  const cursor = new Int32Array(nItems).fill(-1);
  const value = new Int32Array(eventTs.length);
  let fallback = 0;
  let missing = 0;
  for (let i = 0; i < eventTs.length; i++) {
    const j = eventItem[i];
    const lo = start[j];
    const hi = start[j + 1];
    if (lo === hi) {
      value[i] = -1;
      missing++;
      continue;
    }
    let c = cursor[j] < 0 ? lo - 1 : cursor[j];
    while (c + 1 < hi && snapTs[grouped[c + 1]] <= eventTs[i]) c++;
    if (c >= lo) {
      cursor[j] = c;
      value[i] = snapValue[grouped[c]];
    } else {
      value[i] = snapValue[grouped[lo]];
      fallback++;
    }
  }
  return { value, fallback, missing };
}
