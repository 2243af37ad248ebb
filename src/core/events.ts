/**
 * The columnar event table every part of the pipeline shares. One row per event, sorted by
 * (ts, original order). Columns are typed arrays so that 2.76 M events take ~50 MB.
 */
export const EVENT_TYPES = ['view', 'addtocart', 'transaction'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Numeric event codes stored in `EventTable.event`; ordered by funnel depth. */
export const EventCode = { view: 0, addtocart: 1, transaction: 2 } as const;
export type EventCodeValue = (typeof EventCode)[EventType];

export function eventCode(name: string): EventCodeValue | -1 {
  return name === 'view' ? 0 : name === 'addtocart' ? 1 : name === 'transaction' ? 2 : -1;
}

export interface EventTable {
  readonly length: number;
  /** Epoch milliseconds. */
  readonly ts: Float64Array;
  /** Dense user (visitor / session) index. */
  readonly user: Int32Array;
  /** Dense item index. */
  readonly item: Int32Array;
  /** Event code (`EventCode`). */
  readonly event: Uint8Array;
  /** Raw transaction id, -1 when none. */
  readonly transaction: Int32Array;
  /** Raw category id of the item as of the event time, -1 when unknown. */
  readonly category: Int32Array;
  /** Item availability as of the event time: 1, 0, or -1 when unknown. */
  readonly available: Int8Array;
}

/** Allocates an empty table with `n` rows (transaction, category and available set to -1). */
export function allocEvents(n: number): EventTable {
  return {
    length: n,
    ts: new Float64Array(n),
    user: new Int32Array(n),
    item: new Int32Array(n),
    event: new Uint8Array(n),
    transaction: new Int32Array(n).fill(-1),
    category: new Int32Array(n).fill(-1),
    available: new Int8Array(n).fill(-1),
  };
}

/** Rows `idx` of `t`, in the given order. */
export function takeEvents(t: EventTable, idx: ArrayLike<number>): EventTable {
  const out = allocEvents(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    out.ts[r] = t.ts[i];
    out.user[r] = t.user[i];
    out.item[r] = t.item[i];
    out.event[r] = t.event[i];
    out.transaction[r] = t.transaction[i];
    out.category[r] = t.category[i];
    out.available[r] = t.available[i];
  }
  return out;
}

/** Rows whose predicate is true, in table order. */
export function filterEvents(t: EventTable, keep: (row: number) => boolean): EventTable {
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) if (keep(i)) idx.push(i);
  return takeEvents(t, idx);
}

/** Stable sort of the rows by time (ties keep their order). */
export function sortEventsByTime(t: EventTable): EventTable {
  const idx = new Int32Array(t.length);
  for (let i = 0; i < t.length; i++) idx[i] = i;
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) if (t.ts[i] < t.ts[i - 1]) sorted = false;
  if (sorted) return t;
  const order = Array.from(idx).sort((a, b) => t.ts[a] - t.ts[b] || a - b);
  return takeEvents(t, order);
}

/** Counts of each event code. */
export function countByEvent(t: EventTable): Record<EventType, number> {
  const c = [0, 0, 0];
  for (let i = 0; i < t.length; i++) c[t.event[i]]++;
  return { view: c[0], addtocart: c[1], transaction: c[2] };
}
