import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { takeEvents, type EventTable } from '../../core/events.js';
import {
  FUNNEL_STAGES,
  FunnelConfigSchema,
  funnelStage,
  itemFeatures,
  sessionFeatures,
  userFeatures,
  UserFeatureConfigSchema,
} from './features.js';
import { sessionize } from './sessions.js';
import { temporalSplit } from './split.js';
import { DAY, HOUR, rowsArb, table, type Row } from './test-helpers.js';

const hist = (rows: Array<[number, number, number]>) => ({
  ts: Float64Array.from(rows.map((r) => r[0])),
  items: Int32Array.from(rows.map((r) => r[1])),
  events: Uint8Array.from(rows.map((r) => r[2])),
});
const NOW = 100 * DAY;

describe('funnelStage', () => {
  it('is cold without events before asOf, even with later ones', () => {
    expect(funnelStage(hist([]), NOW)).toBe('cold');
    expect(funnelStage(hist([[NOW, 1, 2]]), NOW)).toBe('cold');
  });

  it('is converted after a transaction within 7 days, browsing after an older one', () => {
    expect(funnelStage(hist([[NOW - 7 * DAY, 1, 2]]), NOW)).toBe('converted');
    expect(funnelStage(hist([[NOW - 7 * DAY - 1, 1, 2]]), NOW)).toBe('browsing');
  });

  it('is intent after a recent cart not followed by its purchase', () => {
    expect(funnelStage(hist([[NOW - 2 * DAY, 5, 1]]), NOW)).toBe('intent');
    expect(funnelStage(hist([[NOW - 4 * DAY, 5, 1]]), NOW)).toBe('browsing');
    const cfg = { convertedWindowMs: HOUR };
    expect(
      funnelStage(
        hist([
          [NOW - 2 * DAY, 5, 1],
          [NOW - DAY, 5, 2],
        ]),
        NOW,
        cfg,
      ),
    ).toBe('browsing');
    expect(
      funnelStage(
        hist([
          [NOW - 2 * DAY, 5, 1],
          [NOW - DAY, 6, 2],
        ]),
        NOW,
        cfg,
      ),
    ).toBe('intent');
    const noItems = { ts: Float64Array.from([NOW - 2 * DAY, NOW - DAY]), events: Uint8Array.from([1, 2]) };
    expect(funnelStage(noItems, NOW, cfg)).toBe('browsing');
  });

  it('has a strict config schema with 7-day and 3-day defaults', () => {
    expect(FunnelConfigSchema.parse({})).toEqual({ convertedWindowMs: 7 * DAY, intentWindowMs: 3 * DAY });
    expect(() => funnelStage(hist([]), NOW, { windowMs: 1 } as never)).toThrow(/Invalid funnel config/);
  });
});

describe('userFeatures', () => {
  const t = table([
    [NOW - 10 * DAY, 0, 1, 0],
    [NOW - 10 * DAY + HOUR, 0, 1, 1], // second session
    [NOW - 2 * DAY, 0, 1, 2],
    [NOW - 1 * DAY, 1, 2, 0],
    [NOW - 1 * DAY, 2, 2, 1],
    [NOW + DAY, 3, 2, 2], // after asOf: user 3 stays cold
  ]);
  const f = userFeatures(t, NOW, { nUsers: 4 });

  it('computes recency, frequency, transactions, funnel stage and activity', () => {
    expect([...f.recencyDays]).toEqual([2, 1, 1, NaN]);
    expect([...f.events]).toEqual([3, 1, 1, 0]);
    expect([...f.sessions]).toEqual([3, 1, 1, 0]);
    expect([...f.transactions]).toEqual([1, 0, 0, 0]);
    expect([...f.funnelStage].map((c) => FUNNEL_STAGES[c])).toEqual([
      'converted',
      'browsing',
      'intent',
      'cold',
    ]);
    expect([...f.activity]).toEqual([1, 0, 0, 0]);
  });

  it('scores RFM quintiles among active users, ties sharing the lower score', () => {
    expect([...f.rScore]).toEqual([1, 2, 2, 0]);
    expect([...f.fScore]).toEqual([4, 1, 1, 0]);
    expect([...f.mScore]).toEqual([4, 1, 1, 0]);
  });

  it('rejects unknown config keys', () => {
    expect(() => userFeatures(t, NOW, { nUsers: 4, foo: 1 } as never)).toThrow(/Invalid user feature config/);
    expect(UserFeatureConfigSchema.parse({}).activity).toEqual({ occasional: 2, regular: 4, heavy: 10 });
  });
});

describe('itemFeatures', () => {
  it('counts, decays, smooths toward the global rate and takes the latest category before asOf', () => {
    const t = table([
      [NOW - 7 * DAY, 0, 0, 0, -1, 10],
      [NOW - 1, 1, 0, 1, -1, 11],
      [NOW - DAY, 1, 1, 0, -1, 12],
      [NOW, 1, 0, 0, -1, 99],
    ]);
    const parent = new Map([
      [11, 1],
      [1, -1],
      [12, 1],
    ]);
    const f = itemFeatures(t, NOW, { nItems: 3, categoryParent: parent, halfLifeDays: 7, smoothing: 2 });
    expect([...f.popularity]).toEqual([2, 1, 0]);
    expect(f.decayedPopularity[0]).toBeCloseTo(0.5 + 1, 5);
    expect(f.globalViewToCart).toBeCloseTo(0.5);
    expect(f.viewToCart[0]).toBeCloseTo((1 + 2 * 0.5) / (1 + 2));
    expect(f.viewToCart[2]).toBeCloseTo(0.5);
    expect([...f.category]).toEqual([11, 12, -1]);
    const path = (i: number) => [...f.categoryPath.subarray(f.pathOffsets[i], f.pathOffsets[i + 1])];
    expect([path(0), path(1), path(2)]).toEqual([[1, 11], [1, 12], []]);
  });
});

/** Every feature of every kind as of `asOf`, as plain arrays for deep equality. */
function allFeatures(t: EventTable, asOf: number): unknown {
  const u = userFeatures(t, asOf, { nUsers: 6 });
  const i = itemFeatures(t, asOf, {
    nItems: 8,
    categoryParent: new Map([
      [0, 1],
      [1, -1],
      [2, 1],
    ]),
  });
  const s = sessionize(t);
  const sf = sessionFeatures(t, s, asOf);
  const plain = (o: object) =>
    Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? [...(v as Float32Array)] : v]),
    );
  // Session features are keyed by the sessions' rows before asOf (the index itself may include later rows).
  const sessions = [];
  for (let k = 0; k < s.offsets.length - 1; k++) {
    const rows = [...s.rows.subarray(s.offsets[k], s.offsets[k + 1])].filter((r) => t.ts[r] < asOf);
    if (rows.length)
      sessions.push({
        first: [t.ts[rows[0]], t.user[rows[0]]],
        len: sf.length[k],
        dur: sf.durationMs[k],
        cats: sf.distinctCategories[k],
        stage: sf.funnelStage[k],
      });
  }
  sessions.sort((a, b) => a.first[0] - b.first[0] || a.first[1] - b.first[1]);
  return { u: plain(u), i: plain(i), sessions };
}

const lateRowArb = (asOf: number) =>
  fc.tuple(
    fc.integer({ min: asOf, max: asOf + 5 * DAY }),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 7 }),
    fc.constantFrom(0, 1, 2),
    fc.integer({ min: -1, max: 3 }),
    fc.integer({ min: -1, max: 2 }),
  ) as fc.Arbitrary<Row>;

describe('features as of a time (leakage)', () => {
  it('never change when events at or after asOf are added, removed or changed', () => {
    fc.assert(
      fc.property(
        rowsArb(40).map((rs) =>
          rs.map((r) => [r[0], r[1], r[2], r[3], r[4], Math.min(r[5] ?? -1, 2)] as Row),
        ),
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.array(lateRowArb(0), { maxLength: 10 }),
        (rows, asOf, late) => {
          const before = rows.filter((r) => r[0] < asOf);
          const shifted = late.map((r) => [r[0] + asOf, r[1], r[2], r[3], r[4], r[5]] as Row);
          expect(allFeatures(table([...rows, ...shifted]), asOf)).toEqual(allFeatures(table(before), asOf));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('computed at the split cut, never use test rows: equal to features of the train rows alone', () => {
    fc.assert(
      fc.property(rowsArb(40), fc.double({ min: 0.1, max: 0.9, noNaN: true }), (rows, f) => {
        const t = table(rows.map((r) => [r[0], r[1], r[2], r[3], r[4], Math.min(r[5] ?? -1, 2)] as Row));
        const { cutTime, train, test } = temporalSplit(t, { testFraction: f });
        const scrambled = takeEvents(t, [...train, ...test]);
        for (let r = train.length; r < scrambled.length; r++) {
          scrambled.item[r] = (scrambled.item[r] + 3) % 8;
          scrambled.event[r] = 2;
          scrambled.category[r] = 2;
        }
        const a = allFeatures(takeEvents(t, train), cutTime);
        expect(allFeatures(t, cutTime)).toEqual(a);
        expect(allFeatures(scrambled, cutTime)).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });
});
