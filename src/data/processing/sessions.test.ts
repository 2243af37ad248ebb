import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventTable } from '../../core/events.js';
import { IdMap } from '../../core/ids.js';
import type { SessionIndex } from '../../models/types.js';
import { sessionize } from './sessions.js';
import { MIN, rowsArb, table } from './test-helpers.js';

/** Sessions as arrays of rows, in index order. */
const asLists = (s: SessionIndex): number[][] =>
  Array.from({ length: s.offsets.length - 1 }, (_, k) => [
    ...s.rows.subarray(s.offsets[k], s.offsets[k + 1]),
  ]);

/** Readable reference: sort rows by (user, ts, row), cut at gaps, order by (start ts, user). */
function referenceSessions(t: EventTable, gapMs: number): number[][] {
  const rows = [...Array(t.length).keys()].sort(
    (a, b) => t.user[a] - t.user[b] || t.ts[a] - t.ts[b] || a - b,
  );
  const out: number[][] = [];
  for (const r of rows) {
    const cur = out[out.length - 1];
    const prev = cur?.[cur.length - 1];
    if (cur && t.user[prev!] === t.user[r] && t.ts[r] - t.ts[prev!] <= gapMs) cur.push(r);
    else out.push([r]);
  }
  return out.sort((a, b) => t.ts[a[0]] - t.ts[b[0]] || t.user[a[0]] - t.user[b[0]]);
}

describe('sessionize', () => {
  it('starts a new session after a gap longer than 30 minutes', () => {
    const t = table([
      [0, 0, 1, 0],
      [30 * MIN, 0, 2, 0],
      [60 * MIN + 1, 0, 3, 0],
      [5 * MIN, 1, 1, 0],
    ]);
    const s = sessionize(t);
    expect(asLists(s)).toEqual([[0, 2], [1], [3]]);
    expect([...s.user]).toEqual([0, 1, 0]);
  });

  it('orders sessions by start time, then user', () => {
    const t = table([
      [100, 2, 0, 0],
      [100, 1, 0, 0],
      [50, 3, 0, 0],
    ]);
    const s = sessionize(t);
    expect([...s.user]).toEqual([3, 1, 2]);
  });

  it('collapses consecutive repeated views of an item but keeps carts and other items', () => {
    const t = table([
      [0, 0, 7, 0],
      [1, 0, 7, 0],
      [2, 0, 7, 1],
      [3, 0, 7, 0],
      [4, 0, 8, 0],
      [5, 0, 7, 0],
      [6, 0, 7, 0],
    ]);
    expect(asLists(sessionize(t, { collapseRepeats: true }))).toEqual([[0, 2, 3, 4, 5]]);
    expect(asLists(sessionize(t))).toEqual([[0, 1, 2, 3, 4, 5, 6]]);
  });

  it('uses a given session column instead of gaps', () => {
    const t = table([
      [0, 0, 1, 0],
      [1, 0, 2, 0],
      [10 * 60 * MIN, 0, 3, 0],
      [2, 1, 4, 0],
    ]);
    const s = sessionize(t, { given: Int32Array.from([5, 2, 5, 2]) });
    expect(asLists(s)).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect([...s.user]).toEqual([0, 0]);
  });

  it('rejects a given column of the wrong length', () => {
    const t = table([[0, 0, 1, 0]]);
    expect(() => sessionize(t, { given: new Int32Array(2) })).toThrow(/given has 2 entries/);
  });

  it('agrees with the readable reference on any input', () => {
    fc.assert(
      fc.property(rowsArb(80), fc.integer({ min: 0, max: 3 * 60 * MIN }), (rows, gapMs) => {
        const t = table(rows);
        expect(asLists(sessionize(t, { gapMs }))).toEqual(referenceSessions(t, gapMs));
      }),
    );
  });

  it('collapsing repeats only removes views that repeat the previous view of the session', () => {
    fc.assert(
      fc.property(rowsArb(80), (rows) => {
        const t = table(rows);
        const full = sessionize(t);
        const collapsed = sessionize(t, { collapseRepeats: true });
        expect(collapsed.offsets.length).toBe(full.offsets.length);
        expect([...collapsed.user]).toEqual([...full.user]);
        const kept = new Set(collapsed.rows);
        for (const r of full.rows) if (!kept.has(r)) expect(t.event[r]).toBe(0);
        for (let k = 0; k < collapsed.offsets.length - 1; k++) {
          expect(collapsed.offsets[k + 1]).toBeGreaterThan(collapsed.offsets[k]);
          for (let p = collapsed.offsets[k] + 1; p < collapsed.offsets[k + 1]; p++) {
            const [a, b] = [collapsed.rows[p - 1], collapsed.rows[p]];
            expect(t.event[a] === 0 && t.event[b] === 0 && t.item[a] === t.item[b]).toBe(false);
          }
        }
      }),
    );
  });

  it('agrees with the reference on an unsorted table too', () => {
    const t = table([
      [5, 0, 1, 0],
      [1, 1, 1, 0],
      [3, 0, 2, 0],
    ]);
    const shuffled: EventTable = {
      ...t,
      ts: Float64Array.from([t.ts[2], t.ts[0], t.ts[1]]),
      user: Int32Array.from([t.user[2], t.user[0], t.user[1]]),
    };
    expect(asLists(sessionize(shuffled))).toEqual(referenceSessions(shuffled, 30 * MIN));
  });
});

const SRGTM = '/work/shared/data/retailrocket/sample_retailrocket_srgtm.tsv';

describe.skipIf(!existsSync(SRGTM))(
  'sessionize on the real session-rec sample (needs ../shared/data)',
  () => {
    it('keeps the given sessions whole and in time order, with the user of their first row', () => {
      const lines = readFileSync(SRGTM, 'utf8').trim().split('\n');
      const start = /^\d/.test(lines[0]) ? 0 : 1;
      const users = new IdMap();
      const items = new IdMap();
      const sessions = new IdMap();
      const rows: Array<[number, number, number, number]> = [];
      const given: number[] = [];
      for (const line of lines.slice(start)) {
        const [sec, visitor, item, session] = line.split('\t');
        rows.push([Number(sec) * 1000, users.add(visitor), items.add(item), 0]);
        given.push(sessions.add(session));
      }
      const t = table(rows); // stable sort by time: reorder `given` the same way
      const order = [...rows.keys()].sort((a, b) => rows[a][0] - rows[b][0] || a - b);
      const s = sessionize(t, { given: Int32Array.from(order, (k) => given[k]) });
      expect(s.offsets.length - 1).toBe(sessions.size);
      expect(s.rows.length).toBe(rows.length);
      let mixedUsers = 0; // the source has 2 session ids (8701, 12599) shared by two user ids
      for (let k = 0; k < s.offsets.length - 1; k++) {
        expect(t.user[s.rows[s.offsets[k]]]).toBe(s.user[k]);
        let mixed = false;
        for (let p = s.offsets[k] + 1; p < s.offsets[k + 1]; p++) {
          if (t.user[s.rows[p]] !== s.user[k]) mixed = true;
          expect(t.ts[s.rows[p]]).toBeGreaterThanOrEqual(t.ts[s.rows[p - 1]]);
        }
        if (mixed) mixedUsers++;
        if (k > 0) expect(t.ts[s.rows[s.offsets[k]]]).toBeGreaterThanOrEqual(t.ts[s.rows[s.offsets[k - 1]]]);
      }
      expect(mixedUsers).toBe(2);
    });
  },
);
