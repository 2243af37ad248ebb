/** Small builders and fast-check arbitraries for the processing tests (not used by library code). */
import fc from 'fast-check';
import { allocEvents, sortEventsByTime, type EventTable } from '../../core/events.js';

/** One event: [ts, user, item, event, transaction?, category?]. */
export type Row = [number, number, number, number, number?, number?];

/** A table from rows, sorted by time (stable), as loaders produce it. */
export function table(rows: readonly Row[]): EventTable {
  const t = allocEvents(rows.length);
  rows.forEach(([ts, u, i, e, tx, cat], r) => {
    t.ts[r] = ts;
    t.user[r] = u;
    t.item[r] = i;
    t.event[r] = e;
    t.transaction[r] = tx ?? -1;
    t.category[r] = cat ?? -1;
  });
  return sortEventsByTime(t);
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Random event rows over a few users/items within ~20 days (many ties and repeats). */
export const rowsArb = (maxLength = 60): fc.Arbitrary<Row[]> =>
  fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 20 * DAY }).map((x) => (x % 7 === 0 ? Math.floor(x / HOUR) * HOUR : x)),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 7 }),
      fc.constantFrom(0, 0, 0, 1, 1, 2),
      fc.integer({ min: -1, max: 3 }),
      fc.integer({ min: -1, max: 4 }),
    ) as fc.Arbitrary<Row>,
    { maxLength },
  );

/** Row r of a table as a Row. */
export function rowOf(t: EventTable, r: number): Row {
  return [t.ts[r], t.user[r], t.item[r], t.event[r], t.transaction[r], t.category[r]];
}
