import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { ExactIndex, UsearchIndex, buildAnnIndex, recallAt } from './index.js';

function unitRows(n: number, dim: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (v[i * dim + j] = rng.normal()) ** 2;
    for (let j = 0; j < dim; j++) v[i * dim + j] /= Math.sqrt(s);
  }
  return v;
}

describe('ExactIndex', () => {
  it('returns the rows with the largest inner products, best first, as a full sort does', () => {
    const dim = 8;
    const v = unitRows(300, dim, 1);
    const idx = new ExactIndex(v, dim);
    const q = unitRows(1, dim, 2);
    const r = idx.search(q, 10);
    const all = Array.from({ length: 300 }, (_, i) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += q[j] * v[i * dim + j];
      return { i, s };
    }).sort((a, b) => b.s - a.s || a.i - b.i);
    expect(Array.from(r.keys)).toEqual(all.slice(0, 10).map((x) => x.i));
    for (let t = 0; t < 10; t++) expect(r.scores[t]).toBeCloseTo(all[t].s, 5);
  });

  it('returns every row when k exceeds the size and rejects a query of the wrong width', () => {
    const idx = new ExactIndex(unitRows(5, 4, 3), 4);
    expect(idx.search(unitRows(1, 4, 4), 50).keys.length).toBe(5);
    expect(() => idx.search(new Float32Array(3), 2)).toThrowError(/3 dims/);
    expect(() => new ExactIndex(new Float32Array(7), 4)).toThrowError(/whole number/);
  });
});

describe('UsearchIndex', () => {
  it('agrees with the exact index on small data (recall@10 ≥ 0.99, same scores)', () => {
    const dim = 16;
    const v = unitRows(2000, dim, 5);
    const exact = new ExactIndex(v, dim);
    const ann = buildAnnIndex('usearch', v, dim, { threads: 1 });
    expect(ann).toBeInstanceOf(UsearchIndex);
    expect(ann.size).toBe(2000);
    const queries = unitRows(50, dim, 6);
    let recall = 0;
    for (let q = 0; q < 50; q++) {
      const query = queries.subarray(q * dim, (q + 1) * dim);
      const a = ann.search(query, 10);
      const e = exact.search(query, 10);
      recall += recallAt(a.keys, e.keys) / 50;
      // Scores are inner products of the returned rows, best first.
      for (let t = 0; t < a.keys.length; t++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += query[j] * v[a.keys[t] * dim + j];
        expect(a.scores[t]).toBeCloseTo(s, 4);
        if (t > 0) expect(a.scores[t]).toBeLessThanOrEqual(a.scores[t - 1] + 1e-6);
      }
    }
    expect(recall).toBeGreaterThanOrEqual(0.99);
  });
});

describe('UsearchIndex save and load', () => {
  it('answers identically after a round trip through a file', () => {
    const dim = 8;
    const v = unitRows(500, dim, 9);
    const built = new UsearchIndex(v, dim, { threads: 1, expansionSearch: 64 });
    const dir = mkdtempSync(join(tmpdir(), 'ann-'));
    try {
      built.save(join(dir, 'index.usearch'));
      const loaded = UsearchIndex.load(join(dir, 'index.usearch'), dim, { expansionSearch: 64 });
      expect(loaded.size).toBe(500);
      const q = unitRows(1, dim, 10);
      expect(Array.from(loaded.search(q, 20).keys)).toEqual(Array.from(built.search(q, 20).keys));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('recallAt', () => {
  it('is the share of the exact list found', () => {
    expect(recallAt(Int32Array.of(1, 2, 9), Int32Array.of(1, 2, 3))).toBeCloseTo(2 / 3, 12);
    expect(recallAt(Int32Array.of(), Int32Array.of())).toBe(1);
  });
});
