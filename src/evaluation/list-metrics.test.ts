import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ListMetricsAccumulator,
  catalogueCoverage,
  intraListDiversity,
  listNovelty,
  listPopularity,
  topK,
  topKReference,
} from './list-metrics.js';

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);
const i32 = (xs: number[]): Int32Array => Int32Array.from(xs);

describe('topK', () => {
  it('returns the best items first and breaks ties by the lower index', () => {
    expect(topK(f32([1, 5, 3, 5, 0, 3]), 0, 6, 4)).toEqual(i32([1, 3, 2, 5]));
  });

  it('skips excluded and -Infinity items and returns a shorter list when few are eligible', () => {
    expect(topK(f32([1, 5, -Infinity, 4]), 0, 4, 3, i32([1]))).toEqual(i32([3, 0]));
    expect(topK(f32([2, 2]), 0, 2, 5)).toEqual(i32([0, 1]));
    expect(topK(f32([2, 2]), 0, 2, 0)).toEqual(i32([]));
  });

  it('reads one case of a batch buffer and writes into a given output buffer', () => {
    const out = new Int32Array(8).fill(-7);
    const r = topK(f32([9, 9, 9, 1, 3, 2]), 3, 3, 2, undefined, out);
    expect(r).toEqual(i32([1, 2]));
    expect(r.buffer).toBe(out.buffer);
  });

  it('throws NUMERIC naming the item when a score is NaN', () => {
    expect(() => topK(f32([5, 4, NaN, 1]), 0, 4, 1)).toThrow(/item 2/);
    expect(() => topK(f32([NaN, 4]), 0, 2, 2)).toThrow(/item 0/);
  });

  it('agrees with a full sort on random inputs with many ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-Infinity, -1, 0, 0.25, 1, 2, Infinity), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (scores, k, ex) => {
          const n = scores.length;
          const s = f32(scores);
          const e = i32(ex.map((x) => x % n));
          expect(topK(s, 0, n, k, e)).toEqual(topKReference(s, 0, n, k, e));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('beyond-accuracy list metrics', () => {
  const category = i32([7, 7, 8, -1, -1]);
  const popularity = Int32Array.from([6, 2, 0, 1, 1]); // total 10

  it('computes intra-list diversity as the share of pairs in different categories', () => {
    // items 0 (7), 1 (7), 2 (8): pairs (0,1) same, (0,2) and (1,2) differ → 2/3
    expect(intraListDiversity(i32([0, 1, 2]), category)).toBeCloseTo(2 / 3, 12);
    // unknown category -1 is one category: items 3 and 4 are "the same", 2 and 3 differ
    expect(intraListDiversity(i32([3, 4]), category)).toBe(0);
    expect(intraListDiversity(i32([2, 3]), category)).toBe(1);
    expect(intraListDiversity(i32([2]), category)).toBeNaN();
  });

  it('computes novelty as mean self-information of the popularity share', () => {
    // items 0 (6/10) and 2 (unseen → 1/10): (−log2 0.6 − log2 0.1) / 2 = (0.736966 + 3.321928) / 2 = 2.029447
    expect(listNovelty(i32([0, 2]), popularity, 10)).toBeCloseTo(2.029447, 6);
  });

  it('averages the training popularity of the listed items', () => {
    expect(listPopularity(i32([0, 1, 3]), popularity)).toBeCloseTo(3, 12); // (6 + 2 + 1) / 3
  });

  it('accumulates coverage, diversity, novelty and popularity over lists', () => {
    const acc = new ListMetricsAccumulator(5, popularity, category);
    acc.add(i32([0, 1, 2])); // diversity 2/3, popularity 8/3, novelty (0.736966 + 2.321928 + 3.321928) / 3
    acc.add(i32([0])); // no pairs; popularity 6, novelty 0.736966
    acc.add(i32([]));
    const r = acc.result();
    expect(r.nLists).toBe(3);
    expect(r.coverage).toBeCloseTo(3 / 5, 12); // items 0, 1, 2 of 5
    expect(r.diversity).toBeCloseTo(2 / 3, 12); // only the list with pairs
    expect(r.averagePopularity).toBeCloseTo((8 / 3 + 6) / 2, 12);
    expect(r.novelty).toBeCloseTo((6.380822 / 3 + 0.736966) / 2, 5);
    expect(catalogueCoverage([i32([0, 1, 2]), i32([0])], 5)).toBeCloseTo(0.6, 12);
  });

  it('rejects a popularity vector without any training interaction', () => {
    expect(() => new ListMetricsAccumulator(2, new Int32Array(2), i32([1, 2]))).toThrow(/sums to 0/);
  });
});
