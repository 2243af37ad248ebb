import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocEvents, sortEventsByTime } from '../../core/events.js';
import { IdMap } from '../../core/ids.js';
import type { Dataset } from '../../data/dataset.js';
import { prepareProtocol } from './index.js';
import { sessionCases } from './session-next-item.js';

const DAY = 86_400_000;

/** A random little shop: `n` events over 60 days by `nUsers` users on `nItems` items. */
function randomDataset(
  rows: { u: number; i: number; e: number; t: number }[],
  nUsers: number,
  nItems: number,
): Dataset {
  const ev = allocEvents(rows.length);
  rows.forEach((r, k) => {
    ev.user[k] = r.u;
    ev.item[k] = r.i;
    ev.event[k] = r.e;
    ev.ts[k] = Date.UTC(2015, 4, 3) + r.t;
  });
  return {
    meta: { kind: 'synthetic', name: 't', path: '-', synthetic: true, fingerprint: 'x' },
    events: sortEventsByTime(ev),
    users: IdMap.fromIds(Array.from({ length: nUsers }, (_, i) => `u${i}`)),
    items: IdMap.fromIds(Array.from({ length: nItems }, (_, i) => `i${i}`)),
  };
}

const rowArb = (nUsers: number, nItems: number) =>
  fc.record({
    u: fc.integer({ min: 0, max: nUsers - 1 }),
    i: fc.integer({ min: 0, max: nItems - 1 }),
    e: fc.constantFrom(0, 0, 0, 1, 2),
    t: fc.integer({ min: 0, max: 60 * DAY }),
  });

describe('user-level temporal protocol (P1)', () => {
  it('never lets a training event or a query history reach past the cut, and targets come only from after it', () => {
    fc.assert(
      fc.property(fc.array(rowArb(15, 30), { minLength: 60, maxLength: 300 }), (rows) => {
        const ds = randomDataset(rows, 15, 30);
        let p;
        try {
          p = prepareProtocol('p1', ds, { testFraction: 0.3, validFraction: 0.3 });
        } catch {
          return true; // too few test users with known items: allowed to refuse
        }
        for (const stage of [p.validation, p.test]) {
          const tr = stage.train.data;
          for (let r = 0; r < tr.events.length; r++) expect(tr.events.ts[r]).toBeLessThan(stage.from);
          for (const c of stage.cases) {
            for (let j = 0; j < c.query.items.length; j++) expect(c.query.ts![j]).toBeLessThan(stage.from);
            for (const t of c.targets) {
              expect(t).toBeGreaterThanOrEqual(0);
              expect(t).toBeLessThan(tr.nItems);
              // The target really happened in the window, for this user.
              const dsItem = stage.train.maps.itemToDataset[t];
              const user = c.query.user >= 0 ? stage.train.maps.userToDataset[c.query.user] : -1;
              const happened = rows.some(
                (r) =>
                  r.i === dsItem &&
                  Date.UTC(2015, 4, 3) + r.t >= stage.from &&
                  Date.UTC(2015, 4, 3) + r.t < stage.to &&
                  (user < 0 || r.u === user),
              );
              expect(happened).toBe(true);
            }
          }
        }
        // The test stage trains on validation rows too.
        expect(p.test.train.data.events.length).toBeGreaterThanOrEqual(p.validation.train.data.events.length);
        return true;
      }),
      { numRuns: 40 },
    );
  });

  it('labels cases warm/cold and by funnel stage, and builds per-event-type target sets', () => {
    const rows = [
      { u: 0, i: 0, e: 0, t: 1 * DAY },
      { u: 0, i: 1, e: 1, t: 56 * DAY }, // within the 3-day intent window of the cut (day 58)
      { u: 0, i: 2, e: 2, t: 59 * DAY },
      { u: 1, i: 2, e: 0, t: 2 * DAY },
      { u: 1, i: 1, e: 0, t: 58 * DAY },
      { u: 2, i: 0, e: 0, t: 59 * DAY },
      ...Array.from({ length: 30 }, (_, k) => ({ u: 3, i: k % 3, e: 0, t: k * DAY })),
    ];
    const p = prepareProtocol('p1', randomDataset(rows, 4, 3), { testFraction: 3 / 36, validFraction: 0.1 });
    const byUser = new Map(p.test.cases.map((c) => [c.query.user, c]));
    const u0 = p.test.cases.find((c) => c.query.items.length === 2 && c.query.events[1] === 1)!;
    expect(u0.groups).toEqual({ user: 'warm', stage: 'intent' });
    expect(byUser.get(-1)?.groups.user).toBe('cold');
    expect(p.test.breakdowns['target=transaction']?.length).toBe(1);
  });
});

describe('session next-item protocol (P2)', () => {
  it('expands a session of n items into n − 2 cases, never the first transition', () => {
    const rows = [5, 6, 7, 8, 9].map((i, k) => ({ u: 0, i, e: 0, t: k * 1000 }));
    const ds = randomDataset(rows, 1, 10);
    const identity = {
      itemFromDataset: Int32Array.from({ length: 10 }, (_, i) => i),
      itemToDataset: Int32Array.from({ length: 10 }, (_, i) => i),
      userFromDataset: Int32Array.of(0),
      userToDataset: Int32Array.of(0),
    };
    const cases = sessionCases(ds, [Int32Array.of(0, 1, 2, 3, 4)], identity);
    expect(cases.map((c) => [Array.from(c.query.items), c.targets[0]])).toEqual([
      [[5, 6], 7],
      [[5, 6, 7], 8],
      [[5, 6, 7, 8], 9],
    ]);
  });
});
