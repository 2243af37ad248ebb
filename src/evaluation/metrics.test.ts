import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RANKING_METRICS,
  UNREACHABLE_RANK,
  caseMetricsInto,
  dcgDiscount,
  hitRateAtK,
  idealDcg,
  metricKey,
  mrrAtK,
  ndcgAtK,
  parseMetricKey,
  precisionAtK,
  recallAtK,
} from './metrics.js';

const all = (ranks: number[], k: number) => ({
  precision: precisionAtK(ranks, k),
  recall: recallAtK(ranks, k),
  ndcg: ndcgAtK(ranks, k),
  mrr: mrrAtK(ranks, k),
  hr: hitRateAtK(ranks, k),
});

/** Distinct ranks in 1..60 (some beyond every K used) plus maybe an unreachable target. */
const ranksArb = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 15 }), fc.boolean())
  .map(([r, unreachable]) => (unreachable ? [...r, UNREACHABLE_RANK] : r));
const kArb = fc.integer({ min: 1, max: 30 });

describe('ranking metrics: golden hand-computed cases', () => {
  it('computes every metric for three targets at ranks 1, 4 and 30 with K = 10', () => {
    // hits = {1, 4}; P = 2/10; R = 2/3
    // DCG  = 1/log2(2) + 1/log2(5) = 1 + 0.430677 = 1.430677
    // IDCG = 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.630930 + 0.5 = 2.130930 (min(|T|=3, K=10) = 3 items)
    // NDCG = 1.430677 / 2.130930 = 0.671386; MRR = 1/1; HR = 1
    const m = all([4, 1, 30], 10);
    expect(m.precision).toBeCloseTo(0.2, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.ndcg).toBeCloseTo(0.671386, 6);
    expect(m.mrr).toBe(1);
    expect(m.hr).toBe(1);
  });

  it('computes every metric for a single target at rank 3', () => {
    // K = 2: a miss, everything 0. K = 5: P = 1/5, R = 1, NDCG = (1/log2(4)) / 1 = 0.5, MRR = 1/3, HR = 1
    expect(all([3], 2)).toEqual({ precision: 0, recall: 0, ndcg: 0, mrr: 0, hr: 0 });
    const m = all([3], 5);
    expect(m.precision).toBeCloseTo(0.2, 12);
    expect(m.recall).toBe(1);
    expect(m.ndcg).toBeCloseTo(0.5, 12);
    expect(m.mrr).toBeCloseTo(1 / 3, 12);
    expect(m.hr).toBe(1);
  });

  it('caps the ideal DCG at K when there are more targets than K', () => {
    // 12 targets, ranks 1..10 fill the top 10, one at 50, one excluded:
    // P = 10/10, R = 10/12, NDCG = IDCG(10)/IDCG(min(12,10)) = 1
    const ranks = [...Array.from({ length: 10 }, (_, i) => i + 1), 50, UNREACHABLE_RANK];
    const m = all(ranks, 10);
    expect(m.precision).toBe(1);
    expect(m.recall).toBeCloseTo(10 / 12, 12);
    expect(m.ndcg).toBeCloseTo(1, 12);
    expect(m.mrr).toBe(1);
  });

  it('reproduces the DCG worked example of the Wikipedia "Discounted cumulative gain" article', () => {
    // https://en.wikipedia.org/wiki/Discounted_cumulative_gain#Example : graded relevances
    // 3, 2, 3, 0, 1, 2 at positions 1..6 give DCG_6 = 6.861; the ideal ordering 3, 3, 3, 2, 2, 2
    // (after adding documents D7 = 3 and D8 = 2) gives IDCG_6 = 8.740, so nDCG_6 = 0.785.
    const rel = [3, 2, 3, 0, 1, 2];
    const dcg = rel.reduce((s, r, i) => s + r * dcgDiscount(i + 1), 0);
    const idcg = [3, 3, 3, 2, 2, 2].reduce((s, r, i) => s + r * dcgDiscount(i + 1), 0);
    expect(dcg).toBeCloseTo(6.861, 3);
    expect(idcg).toBeCloseTo(8.74, 3);
    expect(dcg / idcg).toBeCloseTo(0.785, 3);
    // Binary version of the same list (relevant = rel > 0 → ranks 1, 2, 3, 5, 6; five targets):
    // DCG = 1 + 0.630930 + 0.5 + 0.386853 + 0.356207 = 2.873990
    // IDCG(5) = 1 + 0.630930 + 0.5 + 0.430677 + 0.386853 = 2.948459 → NDCG@6 = 0.974743
    expect(ndcgAtK([1, 2, 3, 5, 6], 6)).toBeCloseTo(0.974743, 6);
  });

  it('reproduces the mean reciprocal rank example of the Wikipedia "Mean reciprocal rank" article', () => {
    // https://en.wikipedia.org/wiki/Mean_reciprocal_rank : first correct answers at ranks 3, 2, 1 →
    // MRR = (1/3 + 1/2 + 1) / 3 = 11/18 ≈ 0.61
    const mrr = (mrrAtK([3], 3) + mrrAtK([2], 3) + mrrAtK([1], 3)) / 3;
    expect(mrr).toBeCloseTo(11 / 18, 12);
  });

  it('rejects a case without targets and a non-positive cut-off', () => {
    expect(() => ndcgAtK([], 10)).toThrow(/at least one target/);
    expect(() => recallAtK([1], 0)).toThrow(/positive integer/);
  });

  it('round-trips metric keys and rejects unknown ones', () => {
    expect(metricKey('ndcg', 10)).toBe('ndcg@10');
    expect(parseMetricKey('hr@20')).toEqual({ metric: 'hr', k: 20 });
    expect(() => parseMetricKey('auc@10')).toThrow(/Unknown metric/);
    expect(() => parseMetricKey('ndcg@0')).toThrow(/Unknown metric/);
  });

  it('caches the ideal DCG consistently when the table grows', () => {
    expect(idealDcg(0)).toBe(0);
    expect(idealDcg(1)).toBe(1);
    expect(idealDcg(3)).toBeCloseTo(2.13093, 6);
    expect(idealDcg(1000)).toBeCloseTo(idealDcg(999) + dcgDiscount(1000), 12);
  });
});

describe('ranking metrics: properties', () => {
  it('stay within [0, 1]', () => {
    fc.assert(
      fc.property(ranksArb, kArb, (r, k) => {
        for (const v of Object.values(all(r, k))) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });

  it('do not depend on the order of the targets', () => {
    fc.assert(
      fc.property(ranksArb, kArb, (r, k) => {
        const base = all(r, k);
        for (const perm of [[...r].reverse(), [...r].sort((a, b) => a - b)]) {
          const m = all(perm, k);
          for (const name of RANKING_METRICS) expect(m[name]).toBeCloseTo(base[name], 12);
        }
      }),
    );
  });

  it('never lower NDCG when a target moves up to a free better rank', () => {
    fc.assert(
      fc.property(ranksArb, kArb, fc.nat(), (r, k, pick) => {
        const i = pick % r.length;
        const taken = new Set(r);
        let better = Math.min(r[i], 61) - 1;
        while (better >= 1 && taken.has(better)) better--;
        if (better < 1) return;
        const moved = r.map((x, j) => (j === i ? better : x));
        expect(ndcgAtK(moved, k)).toBeGreaterThanOrEqual(ndcgAtK(r, k) - 1e-12);
      }),
    );
  });

  it('give recall 1 and NDCG 1 when every target is in the top K', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 10 }), (n, extra) => {
        const ranks = Array.from({ length: n }, (_, i) => i + 1);
        expect(recallAtK(ranks, n + extra)).toBe(1);
        expect(ndcgAtK(ranks, n + extra)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('keep the hit rate at least as large as precision, recall, MRR and NDCG', () => {
    fc.assert(
      fc.property(ranksArb, kArb, (r, k) => {
        const m = all(r, k);
        for (const v of [m.precision, m.recall, m.mrr, m.ndcg])
          expect(m.hr).toBeGreaterThanOrEqual(v - 1e-12);
      }),
    );
  });

  it('are non-decreasing in K for recall, hit rate and MRR', () => {
    fc.assert(
      fc.property(ranksArb, kArb, (r, k) => {
        const a = all(r, k);
        const b = all(r, k + 1);
        expect(b.recall).toBeGreaterThanOrEqual(a.recall);
        expect(b.hr).toBeGreaterThanOrEqual(a.hr);
        expect(b.mrr).toBeGreaterThanOrEqual(a.mrr);
      }),
    );
  });

  it('agree between the batched writer and the single-metric functions', () => {
    fc.assert(
      fc.property(ranksArb, fc.uniqueArray(kArb, { minLength: 1, maxLength: 3 }), (r, ks) => {
        const out = new Float64Array(1 + ks.length * RANKING_METRICS.length);
        caseMetricsInto(Int32Array.from(r), ks, out, 1);
        ks.forEach((k, ki) => {
          const m = all(r, k);
          RANKING_METRICS.forEach((name, mi) =>
            expect(out[1 + ki * RANKING_METRICS.length + mi]).toBeCloseTo(m[name], 12),
          );
        });
      }),
    );
  });
});
