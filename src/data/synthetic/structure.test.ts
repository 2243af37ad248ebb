import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../dataset.js';
import { sessionize } from '../processing/sessions.js';
import { loadRetailRocket } from '../retailrocket/load-retailrocket.js';
import { compareWithOfficial, datasetStats } from '../stats.js';
import { generateSynthetic } from './generate.js';
import { OFFICIAL_RETAILROCKET } from './official.js';
import { scaleTargets } from './scales.js';

const DAY = 86_400_000;
const root = mkdtempSync(join(tmpdir(), 'funnelrec-synthetic-small-'));
let ds: Dataset;
beforeAll(async () => {
  await generateSynthetic({ scale: 'small', seed: 42, outDir: root });
  ds = await loadRetailRocket(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('synthetic small scale calibration', () => {
  it('loads as synthetic data with the exact event totals of 1/20 of RetailRocket', () => {
    const s = datasetStats(ds);
    const t = scaleTargets('small');
    expect(ds.meta.synthetic).toBe(true);
    expect(s).toMatchObject({
      view: t.view,
      addtocart: t.addtocart,
      transaction: t.transaction,
      visitors: t.visitors,
    });
    expect(Math.abs(s.events / OFFICIAL_RETAILROCKET.events - 1 / 20)).toBeLessThan(0.0005);
    expect(Math.abs(s.items / t.itemsInEvents - 1)).toBeLessThan(0.1);
    expect(s.categoriesInTree).toBe(1_669);
    expect(s.categoriesInEvents).toBe(t.populatedCategories);
    expect(s.firstDay).toBe('2015-05-03');
    expect(s.lastDay <= '2015-09-18' && s.lastDay >= '2015-09-10').toBe(true);
  });

  it('reproduces the official funnel rates: view→cart ≈ 2.6 %, cart→purchase ≈ 32 %', () => {
    const s = datasetStats(ds);
    expect(s.funnel.cartPerView).toBeCloseTo(0.026, 3);
    expect(s.funnel.transactionPerCart).toBeGreaterThan(0.31);
    expect(s.funnel.transactionPerCart).toBeLessThan(0.34);
    const rows = compareWithOfficial(s);
    const ratio = (name: string) => rows.find((r) => r.name === name)!.ratio;
    expect(ratio('cart per view')).toBeCloseTo(1, 2);
    expect(ratio('events')).toBeCloseTo(0.05, 4);
    expect(Math.abs(ratio('events per visitor') - 1)).toBeLessThan(0.01);
  });
});

describe('synthetic small scale planted structure', () => {
  it("puts returning visitors' later sessions in their first session's categories far more often than chance", () => {
    const ev = ds.events;
    const sess = sessionize(ev);
    const catShare = new Map<number, number>();
    for (let i = 0; i < ev.length; i++)
      catShare.set(ev.category[i], (catShare.get(ev.category[i]) ?? 0) + 1 / ev.length);
    const firstCats = new Map<number, Set<number>>();
    let hits = 0;
    let chance = 0;
    let n = 0;
    for (let s = 0; s < sess.offsets.length - 1; s++) {
      const u = sess.user[s];
      const known = firstCats.get(u);
      const rows = sess.rows.subarray(sess.offsets[s], sess.offsets[s + 1]);
      if (!known) {
        firstCats.set(u, new Set(Array.from(rows, (r) => ev.category[r])));
        continue;
      }
      let p = 0;
      for (const c of known) p += catShare.get(c) ?? 0;
      for (const r of rows) {
        if (known.has(ev.category[r])) hits++;
        chance += p;
        n++;
      }
    }
    expect(n).toBeGreaterThan(5_000);
    expect(hits / n).toBeGreaterThan(0.5);
    expect(hits / n).toBeGreaterThan(4 * (chance / n));
  });

  it('buys complementary items together far more often than shuffled baskets do', () => {
    const ev = ds.events;
    const baskets = new Map<number, number[]>();
    const itemCat = new Map<number, number>();
    for (let i = 0; i < ev.length; i++) {
      itemCat.set(ev.item[i], ev.category[i]);
      if (ev.event[i] !== 2) continue;
      const b = baskets.get(ev.transaction[i]) ?? [];
      b.push(ev.item[i]);
      baskets.set(ev.transaction[i], b);
    }
    // Ordered pairs (category of a, item b) of items bought in one transaction, seen ≥ 3 times.
    const recurringPairs = (bs: number[][]): number => {
      const seen = new Map<string, number>();
      for (const b of bs) {
        for (const x of b)
          for (const y of b)
            if (x !== y) seen.set(`${itemCat.get(x)}:${y}`, (seen.get(`${itemCat.get(x)}:${y}`) ?? 0) + 1);
      }
      let k = 0;
      for (const c of seen.values()) if (c >= 3) k++;
      return k;
    };
    const real = [...baskets.values()];
    const flat = real.flat();
    new Rng(3).shuffle(flat);
    let o = 0;
    const shuffled = real.map((b) => flat.slice(o, (o += b.length)));
    const observed = recurringPairs(real);
    expect(observed).toBeGreaterThan(10);
    expect(observed).toBeGreaterThan(5 * (recurringPairs(shuffled) + 1));
  });

  it('lets recent popularity predict next week better than all-time popularity', () => {
    const ev = ds.events;
    const cut = ev.ts[Math.floor(ev.length * 0.8)];
    const global = new Map<number, number>();
    const recent = new Map<number, number>();
    for (let i = 0; i < ev.length && ev.ts[i] < cut; i++) {
      global.set(ev.item[i], (global.get(ev.item[i]) ?? 0) + 1);
      if (ev.ts[i] >= cut - 14 * DAY) recent.set(ev.item[i], (recent.get(ev.item[i]) ?? 0) + 1);
    }
    const top = (m: Map<number, number>) =>
      new Set(
        [...m]
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, 200)
          .map(([i]) => i),
      );
    const hitRate = (set: Set<number>) => {
      let h = 0;
      let n = 0;
      for (let i = 0; i < ev.length; i++) {
        if (ev.ts[i] < cut || ev.ts[i] >= cut + 7 * DAY) continue;
        if (set.has(ev.item[i])) h++;
        n++;
      }
      return h / n;
    };
    expect(hitRate(top(recent))).toBeGreaterThan(1.15 * hitRate(top(global)));
  });
});
