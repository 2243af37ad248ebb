import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IdMap } from '../core/ids.js';
import type { Dataset } from './dataset.js';
import { table, type Row } from './processing/test-helpers.js';
import { loadRetailRocket } from './retailrocket/load-retailrocket.js';
import { compareWithOfficial, datasetStats, OFFICIAL_RETAILROCKET, RETAILROCKET_SAMPLE } from './stats.js';

const REAL = '/work/shared/data/retailrocket';
const SAMPLE = `${REAL}/events_sample_5000visitors.csv`;

function dataset(rows: Row[]): Dataset {
  return {
    meta: { kind: 'interactions', name: 'hand', path: '-', synthetic: false, fingerprint: 'x' },
    events: table(rows),
    users: IdMap.fromIds(['a', 'b', 'c']),
    items: IdMap.fromIds(['p', 'q', 'r']),
    categoryParent: new Map([
      [10, -1],
      [11, 10],
    ]),
  };
}

describe('datasetStats', () => {
  it('computes counts, funnel and activity of a hand-made table', () => {
    const day = 86_400_000;
    const s = datasetStats(
      dataset([
        [Date.UTC(2015, 4, 3), 0, 0, 0, -1, 10],
        [Date.UTC(2015, 4, 3) + 1, 0, 0, 1, -1, 10],
        [Date.UTC(2015, 4, 3) + 2, 0, 0, 2, 7, 10],
        [Date.UTC(2015, 4, 4), 1, 1, 0, -1, 11],
        [Date.UTC(2015, 4, 4) + 1, 1, 2, 0],
        [Date.UTC(2015, 4, 4) + 2, 1, 2, 1],
        [Date.UTC(2015, 4, 3) + 10 * day, 2, 1, 0, -1, 11],
      ]),
    );
    expect(s).toMatchObject({
      events: 7,
      view: 4,
      addtocart: 2,
      transaction: 1,
      transactions: 1,
      visitors: 3,
      items: 3,
      categoriesInEvents: 2,
      categoriesInTree: 2,
      firstDay: '2015-05-03',
      lastDay: '2015-05-13',
      eventsPerVisitorMedian: 3,
    });
    expect(s.eventsPerVisitorMean).toBeCloseTo(7 / 3, 12);
    expect(s.funnel).toEqual({
      cartPerView: 0.5,
      transactionPerCart: 0.5,
      visitorsViewed: 1,
      visitorsCarted: 2 / 3,
      visitorsBought: 1 / 3,
      viewersWhoCarted: 2 / 3,
      cartersWhoBought: 0.5,
    });
  });

  it('returns zeros, not NaN rates, for an empty table', () => {
    const s = datasetStats(dataset([]));
    expect(s.events).toBe(0);
    expect(s.funnel.cartPerView).toBe(0);
    expect(s.eventsPerVisitorMedian).toBe(0);
  });
});

describe('compareWithOfficial', () => {
  it('puts every official figure beside the generated one with their ratio', () => {
    const s = datasetStats(dataset([[0, 0, 0, 0]]));
    const rows = compareWithOfficial(s);
    const events = rows.find((r) => r.name === 'events')!;
    expect(events).toEqual({
      name: 'events',
      generated: 1,
      official: OFFICIAL_RETAILROCKET.events,
      ratio: 1 / OFFICIAL_RETAILROCKET.events,
    });
    expect(rows.find((r) => r.name === 'categories in tree')!.ratio).toBeCloseTo(2 / 1_669, 12);
    expect(rows.map((r) => r.name)).toContain('transaction per cart');
  });
});

describe.skipIf(!existsSync(SAMPLE))(
  'datasetStats on the real RetailRocket sample (skipped: ../shared/data absent)',
  () => {
    it('counts exactly 9,385 events (9,076 / 263 / 46), 5,000 visitors and 6,610 items', async () => {
      const s = datasetStats(await loadRetailRocket(REAL));
      expect(s).toMatchObject({ ...RETAILROCKET_SAMPLE, synthetic: false, categoriesInTree: 1_669 });
      expect(s.firstDay).toBe(OFFICIAL_RETAILROCKET.firstDay);
      expect(s.lastDay).toBe(OFFICIAL_RETAILROCKET.lastDay);
      expect(s.eventsPerVisitorMedian).toBe(1);
      expect(s.funnel.cartPerView).toBeCloseTo(263 / 9_076, 12);
    });
  },
);
