import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { plantedData } from '../../test-utils/planted.js';
import { buildCorpus, keepProbabilities, unigramAlias } from './corpus.js';
import { splitByTokens } from './training.js';

const W = { view: 1, addtocart: 2, transaction: 3 };

describe('item2vec corpus', () => {
  it('turns each session into a sentence with per-event step weights', () => {
    const { data } = plantedData({ nUsers: 6, nItems: 10, perUser: 4 });
    const c = buildCorpus(data, { source: 'sessions', minCount: 1, eventWeights: W });
    expect(c.offsets.length).toBe(7);
    expect(Array.from(c.tokens)).toEqual(Array.from(data.events.item));
    // The planted data makes the last event of every third user an add-to-cart.
    expect(c.weights[3]).toBe(2);
    expect(c.weights[2]).toBe(1);
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(24);
  });

  it('removes items below minCount before forming windows and drops sentences shorter than 2', () => {
    const { data } = plantedData({ nUsers: 6, nItems: 10, perUser: 4 });
    const c = buildCorpus(data, { source: 'history', minCount: 3, eventWeights: W });
    for (const t of c.tokens) expect(c.counts[t]).toBeGreaterThanOrEqual(3);
    for (let s = 0; s + 1 < c.offsets.length; s++)
      expect(c.offsets[s + 1] - c.offsets[s]).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 10; i++) expect(c.inVocab[i]).toBe(c.counts[i] >= 3 ? 1 : 0);
  });

  it("keeps items with gensim's subsampling probability", () => {
    const counts = Float64Array.of(1000, 10, 0, 90);
    const p = keepProbabilities(counts, Uint8Array.of(1, 1, 0, 1), 0.01);
    const t = 0.01 * 1100; // 11
    expect(p[0]).toBeCloseTo((Math.sqrt(1000 / t) + 1) * (t / 1000), 12);
    expect(p[1]).toBe(1);
    expect(p[3]).toBeCloseTo((Math.sqrt(90 / t) + 1) * (t / 90), 12);
    expect(keepProbabilities(counts, Uint8Array.of(1, 1, 1, 1), 0).every((v) => v === 1)).toBe(true);
  });

  it('draws negatives with probability proportional to count^0.75 and never outside the vocabulary', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 30 }), (raw) => {
        const counts = Float64Array.from(raw);
        const inVocab = Uint8Array.from(raw, (c) => (c >= 2 ? 1 : 0));
        if (!inVocab.some((v) => v)) return;
        const { prob, alias } = unigramAlias(counts, inVocab, 0.75);
        const n = counts.length;
        const mass = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          mass[i] += prob[i] / n;
          mass[alias[i]] += (1 - prob[i]) / n;
        }
        let z = 0;
        for (let i = 0; i < n; i++) if (inVocab[i]) z += counts[i] ** 0.75;
        for (let i = 0; i < n; i++) expect(mass[i]).toBeCloseTo(inVocab[i] ? counts[i] ** 0.75 / z : 0, 9);
      }),
    );
  });

  it('splits sentences between threads with about equal tokens', () => {
    const offsets = Int32Array.of(0, 5, 10, 12, 20, 21, 30, 40);
    const b = splitByTokens(offsets, 2);
    expect(Array.from(b)).toEqual([0, 4, 7]);
    expect(Array.from(splitByTokens(offsets, 1))).toEqual([0, 7]);
  });
});
