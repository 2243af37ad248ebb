import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocEvents, eventCode, sortEventsByTime, type EventTable } from '../../core/events.js';
import { IdMap } from '../../core/ids.js';
import type { Dataset } from '../dataset.js';
import { CleanConfigSchema, cleanEvents } from './clean.js';
import { rowsArb, table, type Row } from './test-helpers.js';

function dataset(events: EventTable, extra: Partial<Dataset> = {}): Dataset {
  const n = Math.max(0, ...events.user) + 1;
  return {
    meta: { kind: 'synthetic', name: 'test', path: '-', synthetic: true, fingerprint: 'x' },
    events,
    users: IdMap.fromIds(Array.from({ length: n }, (_, i) => `u${i}`)),
    items: IdMap.fromIds(Array.from({ length: 10 }, (_, i) => `i${i}`)),
    ...extra,
  };
}

describe('cleanEvents', () => {
  it('removes exact duplicates and keeps the first of them', () => {
    const ds = dataset(
      table([
        [1, 0, 1, 0],
        [1, 0, 1, 0],
        [1, 0, 1, 1],
        [1, 1, 1, 0],
        [2, 0, 1, 0],
      ]),
    );
    const { dataset: out, report } = cleanEvents(ds);
    expect(report.removed.duplicate).toBe(1);
    expect(out.events.length).toBe(4);
    expect([...out.events.event]).toEqual([0, 1, 0, 0]);
  });

  it('drops rows with impossible timestamps or codes, or fails when told to', () => {
    const t = table([
      [1, 0, 1, 0],
      [2, 0, 1, 5],
    ]);
    const bad: EventTable = { ...t, ts: Float64Array.from([NaN, -5]) };
    const withGood = table([
      [1, 0, 1, 0],
      [2, 0, 1, 5],
      [3, 0, 2, 0],
    ]);
    withGood.ts[0] = -1;
    const { report } = cleanEvents(dataset(withGood));
    expect(report.removed.invalidTimestamp).toBe(1);
    expect(report.removed.invalidEvent).toBe(1);
    expect(report.outputRows).toBe(1);
    expect(cleanEvents(dataset(bad)).report.removed.invalidTimestamp).toBe(2);
    expect(() => cleanEvents(dataset(withGood), { invalidRows: 'fail' })).toThrow(/2 impossible rows/);
  });

  it('counts transactions without an id when the source has ids, keeping them by default', () => {
    const t = table([
      [1, 0, 1, 2, 55],
      [2, 1, 1, 2],
      [3, 1, 1, 0],
    ]);
    const kept = cleanEvents(dataset(t)).report;
    expect(kept.sourceHasTransactionIds).toBe(true);
    expect(kept.keptMissingTransactionId).toBe(1);
    expect(kept.outputRows).toBe(3);
    const dropped = cleanEvents(dataset(t), { missingTransactionId: 'drop' }).report;
    expect(dropped.removed.missingTransactionId).toBe(1);
    expect(dropped.outputRows).toBe(2);
    expect(() => cleanEvents(dataset(t), { missingTransactionId: 'fail' })).toThrow(/1 transaction rows/);
    const noIds = table([
      [1, 0, 1, 2],
      [2, 1, 1, 2],
    ]);
    expect(cleanEvents(dataset(noIds), { missingTransactionId: 'fail' }).report.outputRows).toBe(2);
  });

  it('removes every row of a visitor above the total or per-minute limits', () => {
    const rows: Row[] = [];
    for (let k = 0; k < 12; k++) rows.push([k * 3_600_000, 0, k % 5, 0]); // heavy but slow
    for (let k = 0; k < 6; k++) rows.push([k * 5_000, 1, k, 0]); // 6 events within 30 s
    rows.push([0, 2, 1, 0], [100_000, 2, 2, 0]);
    const { dataset: out, report } = cleanEvents(dataset(table(rows)), {
      maxEventsPerVisitor: 10,
      maxEventsPerMinute: 5,
    });
    expect(report.botVisitors).toBe(2);
    expect(report.botVisitorsByRule).toEqual({ tooManyEvents: 1, tooFast: 1 });
    expect(report.removed.botRows).toBe(18);
    expect([...out.events.user]).toEqual([2, 2]);
    expect(out.users.size).toBe(3);
  });

  it('counts the per-minute limit over a sliding 60-second window, not calendar minutes', () => {
    // 4 events in [59.5 s, 60.5 s): two calendar minutes, one 1-second window.
    const burst = table([
      [59_500, 0, 1, 0],
      [59_800, 0, 2, 0],
      [60_100, 0, 3, 0],
      [60_400, 0, 4, 0],
    ]);
    expect(cleanEvents(dataset(burst), { maxEventsPerMinute: 3 }).report.botVisitors).toBe(1);
    // 4 events exactly 60 s apart from the first: at most 3 fall in any [t, t + 60 s).
    const spread = table([
      [0, 0, 1, 0],
      [30_000, 0, 2, 0],
      [59_999, 0, 3, 0],
      [60_000, 0, 4, 0],
    ]);
    expect(cleanEvents(dataset(spread), { maxEventsPerMinute: 3 }).report.botVisitors).toBe(0);
    expect(cleanEvents(dataset(spread), { maxEventsPerMinute: 2 }).report.botVisitors).toBe(1);
  });

  it('keeps per-row session and rating columns and the predefined split aligned', () => {
    const t = table([
      [1, 0, 1, 0],
      [1, 0, 1, 0],
      [2, 0, 2, 0],
      [3, 1, 3, 0],
    ]);
    const ds = dataset(t, {
      session: Int32Array.from([7, 7, 8, 9]),
      rating: Float32Array.from([1, 2, 3, 4]),
      predefinedSplit: { trainRows: 3 },
    });
    const { dataset: out } = cleanEvents(ds);
    expect([...out.session!]).toEqual([7, 8, 9]);
    expect([...out.rating!]).toEqual([1, 3, 4]);
    expect(out.predefinedSplit).toEqual({ trainRows: 2 });
    expect(out.meta.notes?.at(-1)).toMatch(/^cleaned: 1 of 4 rows removed/);
    expect(ds.events.length).toBe(4);
  });

  it('leaves no duplicate key, keeps one row per key, and removes nothing when run again', () => {
    fc.assert(
      fc.property(rowsArb(80), (rows) => {
        const ds = dataset(table(rows));
        const noBots = { maxEventsPerVisitor: null, maxEventsPerMinute: null };
        const { dataset: once, report } = cleanEvents(ds, noBots);
        const key = (t: EventTable, r: number) => `${t.ts[r]},${t.user[r]},${t.item[r]},${t.event[r]}`;
        const keys = Array.from({ length: once.events.length }, (_, r) => key(once.events, r));
        const inputKeys = new Set(Array.from({ length: ds.events.length }, (_, r) => key(ds.events, r)));
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.length).toBe(inputKeys.size);
        expect(report.removed.duplicate).toBe(ds.events.length - inputKeys.size);
        const twice = cleanEvents(once, noBots).report;
        expect(twice.outputRows).toBe(twice.inputRows);
      }),
    );
  });

  it('has a strict config schema with documented defaults that round-trips', () => {
    const d = CleanConfigSchema.parse({});
    expect(d).toEqual({
      invalidRows: 'drop',
      missingTransactionId: 'keep',
      dropDuplicates: true,
      maxEventsPerVisitor: 1000,
      maxEventsPerMinute: 30,
    });
    expect(CleanConfigSchema.parse(JSON.parse(JSON.stringify(d)))).toEqual(d);
    expect(() => cleanEvents(dataset(table([])), { maxEvents: 3 } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

const SAMPLE = '/work/shared/data/retailrocket/events_sample_5000visitors.csv';

describe.skipIf(!existsSync(SAMPLE))(
  'cleanEvents on the real 5,000-visitor sample (needs ../shared/data)',
  () => {
    it('finds the 3 exact duplicates and no bot with the default limits', () => {
      const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n').slice(1);
      const users = new IdMap();
      const items = new IdMap();
      const t = allocEvents(lines.length);
      lines.forEach((line, r) => {
        const [ts, visitor, event, item, tx] = line.split(',');
        t.ts[r] = Number(ts);
        t.user[r] = users.add(visitor);
        t.item[r] = items.add(item);
        t.event[r] = eventCode(event);
        t.transaction[r] = tx ? Number(tx) : -1;
      });
      const ds = { ...dataset(sortEventsByTime(t)), users, items };
      const { report } = cleanEvents(ds);
      expect(report.inputRows).toBe(9385);
      expect(report.removed.duplicate).toBe(3);
      expect(report.botVisitors).toBe(0);
      expect(report.keptMissingTransactionId).toBe(0);
      expect(report.outputRows).toBe(9382);
    });
  },
);
