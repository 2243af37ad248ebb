import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { trainModel } from '../../../training/trainer.js';
import { plantedData } from '../../test-utils/planted.js';
import type { Query } from '../../types.js';
import { parseConfig } from '../../common/config.js';
import { Item2VecConfigSchema } from './config.js';
import { Item2VecRecommender } from './item2vec.js';

const planted = plantedData();

async function trained(raw: Record<string, unknown> = {}, seed = 1): Promise<Item2VecRecommender> {
  const m = new Item2VecRecommender(parseConfig('item2vec', Item2VecConfigSchema, raw));
  await trainModel(m, planted.data, { rng: new Rng(seed) });
  return m;
}

function query(items: number[], sessionStart = 0): Query {
  return {
    user: -1,
    items: Int32Array.from(items),
    events: new Uint8Array(items.length),
    sessionStart,
    time: planted.data.cutTime,
  };
}

describe('item2vec', () => {
  it('finds similar items inside the item group of the query item', async () => {
    const m = await trained();
    for (const item of [0, 1, 20, 21]) {
      const sim = m.similarItems(item, 5);
      expect(sim.items.length).toBe(5);
      expect(sim.items).not.toContain(item);
      for (let r = 1; r < 5; r++) expect(sim.scores[r]).toBeLessThanOrEqual(sim.scores[r - 1]);
      for (const j of sim.items) expect(planted.itemGroup[j]).toBe(planted.itemGroup[item]);
    }
  });

  it('exposes unit-length item vectors for the ANN index', async () => {
    const m = await trained();
    const v = m.itemVectors();
    expect(v.length).toBe(planted.data.nItems * m.dim);
    for (let i = 0; i < planted.data.nItems; i++) {
      if (!m.hasVector(i)) continue;
      let s = 0;
      for (let j = 0; j < m.dim; j++) s += v[i * m.dim + j] ** 2;
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('scores a cold query with no history as all zeros', async () => {
    const m = await trained();
    const out = new Float32Array(planted.data.nItems).fill(7);
    m.scoreBatch([query([])], out);
    expect(Array.from(out).every((v) => v === 0)).toBe(true);
  });

  it('uses the current session and falls back to the history when the session is empty', async () => {
    const m = await trained();
    const n = planted.data.nItems;
    const out = new Float32Array(3 * n);
    // History in group 0, current session in group 1: the session decides.
    m.scoreBatch([query([0, 1, 2, 20, 21], 3), query([20, 21]), query([0, 1, 2], 3)], out);
    expect(Array.from(out.subarray(0, n))).toEqual(Array.from(out.subarray(n, 2 * n)));
    // Empty session (sessionStart at the end): the history decides.
    const hist = out.subarray(2 * n, 3 * n);
    const best = Array.from(hist.keys()).sort((a, b) => hist[b] - hist[a])[0];
    expect(planted.itemGroup[best]).toBe(0);
  });

  it('gives items below minCount no vector and the lowest score', async () => {
    const m = await trained({ minCount: 6 });
    const counts = new Float64Array(planted.data.nItems);
    for (let r = 0; r < planted.data.events.length; r++) counts[planted.data.events.item[r]]++;
    const rare = counts.findIndex((c) => c > 0 && c < 6);
    expect(rare).toBeGreaterThanOrEqual(0);
    expect(m.hasVector(rare)).toBe(false);
    expect(m.similarItems(rare, 3).items.length).toBe(0);
    const out = new Float32Array(planted.data.nItems);
    m.scoreBatch([query([0, 1])], out);
    expect(out[rare]).toBe(-1);
  });

  it('trains with Hogwild worker threads and still recovers the groups', async () => {
    const m = await trained({ threads: 2 });
    let same = 0;
    for (const item of [0, 1, 2, 20, 21, 22]) {
      for (const j of m.similarItems(item, 5).items)
        if (planted.itemGroup[j] === planted.itemGroup[item]) same++;
    }
    expect(same / 30).toBeGreaterThan(0.9);
  }, 20_000);

  it('trains with the JavaScript kernel when asked, and both kernels recover the groups', async () => {
    const js = await trained({ kernel: 'js', threads: 1 });
    const auto = await trained({ kernel: 'auto', threads: 1 });
    for (const m of [js, auto])
      for (const item of [0, 20]) {
        for (const j of m.similarItems(item, 5).items)
          expect(planted.itemGroup[j]).toBe(planted.itemGroup[item]);
      }
    // The same random draws; the float32 SIMD kernel differs by rounding only.
    const a = js.itemVectors();
    const b = auto.itemVectors();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('trains on whole user histories when asked', async () => {
    const m = await trained({ source: 'history', threads: 1 });
    const sim = m.similarItems(0, 5);
    for (const j of sim.items) expect(planted.itemGroup[j]).toBe(0);
  });

  it('restores a snapshot taken between epochs exactly', async () => {
    const m = new Item2VecRecommender(parseConfig('item2vec', Item2VecConfigSchema, {}));
    const session = m.beginTraining(planted.data, { rng: new Rng(2) });
    await session.runEpoch(1);
    const snap = session.snapshot();
    const before = m.itemVectors();
    await session.runEpoch(2);
    expect(m.itemVectors()).not.toEqual(before);
    session.restore(snap);
    expect(m.itemVectors()).toEqual(before);
    session.finish();
  });

  it('rejects an unknown item in similarItems', async () => {
    const m = await trained();
    expect(() => m.similarItems(planted.data.nItems, 3)).toThrowError(/outside the trained catalogue/);
  });
});
