import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { ItemCfConfigSchema, ItemCfRecommender } from './itemcf.js';
import { sessionQuery as query, tinyTrainData, type EventRow } from './test-data.js';

// Users 0..2 buy items; sessions as given. User 0 buys 0 and 1 (two transactions), user 1 buys 0
// and 1 in one transaction and 2 later, user 2 buys 2 and 3.
const ROWS: EventRow[] = [
  [0, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 2, 0, 100],
  [0, 1, 2, 1, 101],
  [1, 0, 0, 2],
  [1, 1, 2, 2, 102],
  [1, 0, 2, 2, 102],
  [1, 2, 2, 3, 103],
  [2, 2, 0, 4],
  [2, 3, 0, 4],
  [2, 2, 2, 4, 104],
  [2, 3, 2, 4, 104],
  [2, 4, 0, 5],
];

async function fitted(cfg: object = {}): Promise<ItemCfRecommender> {
  const m = new ItemCfRecommender(ItemCfConfigSchema.parse({ threads: 1, ...cfg }));
  await m.fit(tinyTrainData(ROWS), { rng: new Rng(1) });
  return m;
}

describe('Item-CF', () => {
  it('counts items bought by the same user together', async () => {
    const m = await fitted();
    expect(m.coPurchase(0)).toEqual([
      { item: 1, count: 2 },
      { item: 2, count: 1 },
    ]);
    expect(m.coPurchase(3)).toEqual([{ item: 2, count: 1 }]);
    expect(m.coPurchase(4)).toEqual([]);
  });

  it('counts only items of one transaction when baskets are transactions', async () => {
    const m = await fitted({ coPurchaseBasket: 'transaction' });
    expect(m.coPurchase(0)).toEqual([{ item: 1, count: 1 }]);
    expect(m.coPurchase(2)).toEqual([{ item: 3, count: 1 }]);
  });

  it('counts items viewed in the same session together', async () => {
    const m = await fitted();
    // Sessions 0 {0,1}, 2 {0,1}, 4 {2,3}; sessions 1, 3, 5 hold one item.
    expect(m.coView(0)).toEqual([{ item: 1, count: 2 }]);
    expect(m.coView(3)).toEqual([{ item: 2, count: 1 }]);
    expect(m.coView(99)).toEqual([]);
  });

  it('scores an item as the weighted sum of its similarities to the history', async () => {
    const m = await fitted({ popularityTieBreak: 0 });
    const out = new Float32Array(2 * m.nItems);
    m.scoreBatch([query([0]), query([0, 2, 2])], out);
    const simTo = (h: number): Map<number, number> =>
      new Map(m.similarItems(h, 100).map((s) => [s.item, s.score]));
    const s0 = simTo(0);
    const s2 = simTo(2);
    for (let i = 0; i < m.nItems; i++) {
      expect(out[i]).toBeCloseTo(s0.get(i) ?? 0, 6);
      expect(out[m.nItems + i]).toBeCloseTo((s0.get(i) ?? 0) + 2 * (s2.get(i) ?? 0), 6);
    }
    expect(s0.get(0)).toBeCloseTo(1, 6); // cosine keeps the item itself, as implicit does
  });

  it('weights recent items more with a recency half-life and less for older sessions', async () => {
    const m = await fitted({ popularityTieBreak: 0, recencyHalfLife: 1, historyWeight: 0.5 });
    const out = new Float32Array(m.nItems);
    m.scoreBatch([query([0, 3], 1)], out);
    const sim = (h: number, i: number): number =>
      m.similarItems(h, 100).find((s) => s.item === i)?.score ?? 0;
    // item 0: distance 1 (half weight) and before the session (× 0.5); item 3 last, in session.
    for (let i = 0; i < m.nItems; i++) expect(out[i]).toBeCloseTo(0.25 * sim(0, i) + sim(3, i), 6);
  });

  it('ranks items by popularity for a query without history', async () => {
    const m = await fitted();
    const out = new Float32Array(m.nItems);
    m.scoreBatch([query([])], out);
    expect(Array.from(out).every((v) => Number.isFinite(v))).toBe(true);
    expect(out[4]).toBeLessThan(out[0]); // item 4: one user; item 0: two users
  });
});
