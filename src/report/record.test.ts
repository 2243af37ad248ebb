import { describe, expect, it } from 'vitest';
import { allocEvents } from '../core/events.js';
import { IdMap } from '../core/ids.js';
import type { Dataset } from '../data/dataset.js';
import type { RunRecord } from '../training/run-store.js';
import { funnelOfDataset, headlineMetrics, withReportData, type ReportRecord } from './record.js';

/** rows: [ts, user, item, event] */
function dataset(rows: [number, number, number, number][], synthetic = true): Dataset {
  const ev = allocEvents(rows.length);
  rows.forEach(([ts, u, i, e], r) => {
    ev.ts[r] = ts;
    ev.user[r] = u;
    ev.item[r] = i;
    ev.event[r] = e;
    ev.transaction[r] = e === 2 ? r : -1;
    ev.category[r] = -1;
  });
  return {
    meta: { kind: 'synthetic', name: 'hand', path: '-', synthetic, fingerprint: 'x' },
    events: ev,
    users: IdMap.fromIds(['a', 'b', 'c', 'd']),
    items: IdMap.fromIds(['p', 'q']),
  } as Dataset;
}

const shop = dataset([
  [1, 0, 0, 0],
  [2, 0, 0, 1],
  [3, 0, 0, 2],
  [4, 1, 1, 0],
  [5, 1, 1, 1],
  [6, 2, 0, 0],
  [7, 3, 1, 0],
  [8, 3, 0, 0],
]);

describe('funnelOfDataset', () => {
  it('counts events and visitors per funnel step with the step-to-step rates', () => {
    const f = funnelOfDataset(shop);
    expect(f.events).toEqual({ view: 5, addtocart: 2, transaction: 1 });
    expect(f.visitors).toEqual({ all: 4, view: 4, addtocart: 2, transaction: 1 });
    expect(f.rates.cartPerView).toBeCloseTo(2 / 5, 12);
    expect(f.rates.transactionPerCart).toBeCloseTo(1 / 2, 12);
    expect(f.synthetic).toBe(true);
  });
});

describe('withReportData', () => {
  const rec = { id: 'r', models: [] } as unknown as RunRecord;

  it('adds the funnel for shop data and leaves the stored record untouched', () => {
    const out = withReportData(rec, { dataset: shop });
    expect(out.funnel?.events.view).toBe(5);
    expect(rec).not.toHaveProperty('funnel');
  });

  it('stores no funnel for view-only data (sessions, MovieLens)', () => {
    expect(
      withReportData(rec, {
        dataset: dataset([
          [1, 0, 0, 0],
          [2, 1, 1, 0],
        ]),
      }),
    ).not.toHaveProperty('funnel');
  });
});

describe('headlineMetrics', () => {
  it('picks NDCG at the smallest cut-off and HR / MRR at the largest', () => {
    const r = {
      models: [{ result: { mean: { 'ndcg@5': 0, 'ndcg@50': 0, 'hr@5': 0, 'hr@50': 0 } } }],
    } as unknown as ReportRecord;
    expect(headlineMetrics(r)).toEqual({ ndcg: 'ndcg@5', hr: 'hr@50', mrr: 'mrr@50' });
  });
});
