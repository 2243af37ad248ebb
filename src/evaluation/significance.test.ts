import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import {
  bootstrapMeanCis,
  bootstrapPairedCi,
  cohensDPaired,
  holm,
  pairedTTest,
  quantileSorted,
} from './significance.js';

// Student's sleep data (Cushny & Peebles 1905, analysed by "Student" 1908; R's `sleep` data set):
// extra hours of sleep of 10 patients under drug 1 and drug 2.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('pairedTTest', () => {
  it('matches a hand-computed tiny example', () => {
    // d = a − b = [1, 2, 0, 3, 4]; mean 2; Σ(d − 2)² = 1 + 0 + 4 + 1 + 4 = 10; sd = √(10/4) = 1.581139
    // se = 1.581139/√5 = 0.707107; t = 2/0.707107 = 2√2 = 2.828427; df = 4
    // p from the closed form for ν = 4 (A&S 26.7.3): θ = atan(t/2), p = 1 − sin θ (1 + cos²θ/2) = 0.047420656
    const r = pairedTTest([3, 5, 4, 8, 9], [2, 3, 4, 5, 5]);
    expect(r.n).toBe(5);
    expect(r.meanDiff).toBe(2);
    expect(r.sdDiff).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(r.se).toBeCloseTo(Math.SQRT1_2, 14);
    expect(r.t).toBeCloseTo(2 * Math.SQRT2, 13);
    expect(r.df).toBe(4);
    expect(r.p).toBeCloseTo(0.047420655584319515, 12);
  });

  it("reproduces R's paired t-test on Student's sleep data", () => {
    // R: t.test(extra ~ group, data = sleep, paired = TRUE) → t = -4.0621, df = 9, p-value = 0.002833,
    // mean difference -1.58 (documented example of R's `sleep` help page).
    const r = pairedTTest(drug1, drug2);
    expect(r.meanDiff).toBeCloseTo(-1.58, 12);
    expect(r.t).toBeCloseTo(-4.0621, 4);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.002833, 6);
  });

  it('handles constant differences without dividing by zero', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3])).toMatchObject({ t: 0, p: 1 });
    expect(pairedTTest([2, 3, 4], [1, 2, 3])).toMatchObject({ t: Infinity, p: 0 });
    expect(pairedTTest([0.1, 0.2, 0.3], [0.2, 0.3, 0.4]).t).toBe(-Infinity);
  });

  it('rejects unpaired or too small samples', () => {
    expect(() => pairedTTest([1, 2], [1])).toThrow(/same length/);
    expect(() => pairedTTest([1], [2])).toThrow(/at least 2/);
    expect(() => pairedTTest([1, NaN], [2, 3])).toThrow(/NaN/);
  });
});

describe('cohensDPaired', () => {
  it('divides the mean difference by its standard deviation', () => {
    expect(cohensDPaired([3, 5, 4, 8, 9], [2, 3, 4, 5, 5])).toBeCloseTo(2 / Math.sqrt(2.5), 13); // 1.264911
    expect(cohensDPaired(drug1, drug2)).toBeCloseTo(-1.58 / 1.2299954832798732, 12);
    expect(cohensDPaired([1, 1], [1, 1])).toBe(0);
  });
});

describe('bootstrapPairedCi', () => {
  it('brackets the observed mean difference and is reproducible from the seed', () => {
    const a = bootstrapPairedCi(drug1, drug2, { rng: new Rng(42) });
    const b = bootstrapPairedCi(drug1, drug2, { rng: new Rng(42) });
    expect(a).toEqual(b);
    expect(a.mean).toBeCloseTo(-1.58, 12);
    expect(a.resamples).toBe(2000);
    expect(a.low).toBeLessThan(a.mean);
    expect(a.high).toBeGreaterThan(a.mean);
    // Close to the t interval [-2.460, -0.700] (R), a little narrower as percentile intervals are for n = 10.
    expect(a.low).toBeGreaterThan(-2.6);
    expect(a.low).toBeLessThan(-2.0);
    expect(a.high).toBeGreaterThan(-1.1);
    expect(a.high).toBeLessThan(-0.6);
  });

  it('collapses to a point for a constant difference', () => {
    const ci = bootstrapPairedCi([2, 3, 4], [1, 2, 3], { rng: new Rng(1), resamples: 50 });
    expect([ci.low, ci.mean, ci.high]).toEqual([1, 1, 1]);
  });

  it('narrows like 1/√n and covers the true mean of a known distribution', () => {
    const rng = new Rng(7);
    const sample = (n: number) => Float64Array.from({ length: n }, () => 0.3 + rng.normal());
    const zeros = (n: number) => new Float64Array(n);
    const small = bootstrapPairedCi(sample(100), zeros(100), { rng, resamples: 500 });
    const large = bootstrapPairedCi(sample(1600), zeros(1600), { rng, resamples: 500 });
    const ratio = (small.high - small.low) / (large.high - large.low);
    expect(ratio).toBeGreaterThan(3); // √(1600/100) = 4
    expect(ratio).toBeLessThan(5.3);
    expect(large.low).toBeLessThan(0.3);
    expect(large.high).toBeGreaterThan(0.3);
    // width ≈ 2 · 1.96 · σ/√n = 3.92/40 = 0.098
    expect(large.high - large.low).toBeCloseTo(0.098, 1);
  });

  it('interpolates quantiles between order statistics (type 7)', () => {
    const s = Float64Array.from([1, 2, 3, 4, 5]);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.4, 12); // h = 4 · 0.1 = 0.4
    expect(quantileSorted(s, 1)).toBe(5);
  });

  it('gives each column of a shared multi-column bootstrap the same interval as bootstrapping it alone', () => {
    const n = drug1.length;
    const rows = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      rows[i * 2] = drug1[i] - drug2[i];
      rows[i * 2 + 1] = drug2[i];
    }
    const both = bootstrapMeanCis(rows, n, 2, { rng: new Rng(5), resamples: 300 });
    expect(both[0]).toEqual(bootstrapPairedCi(drug1, drug2, { rng: new Rng(5), resamples: 300 }));
    expect(both[1]).toEqual(
      bootstrapPairedCi(drug2, new Array(n).fill(0), { rng: new Rng(5), resamples: 300 }),
    );
  });

  it('rejects bad options', () => {
    expect(() => bootstrapPairedCi([1], [2], { rng: new Rng(1), resamples: 0 })).toThrow(/resamples/);
    expect(() => bootstrapPairedCi([1], [2], { rng: new Rng(1), level: 1 })).toThrow(/level/);
  });
});

describe('holm', () => {
  it('reproduces the worked example of the Wikipedia "Holm–Bonferroni method" article', () => {
    // https://en.wikipedia.org/wiki/Holm%E2%80%93Bonferroni_method#Example : p = 0.01, 0.04, 0.03, 0.005
    // at α = 0.05 → hypotheses 1 and 4 rejected, 2 and 3 not. Adjusted (sorted 0.005, 0.01, 0.03, 0.04):
    // 4·0.005 = 0.02; 3·0.01 = 0.03; 2·0.03 = 0.06; max(1·0.04, 0.06) = 0.06
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 14));
    expect(adj.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it('enforces monotonicity and caps at 1', () => {
    // sorted 0.01..0.05: 5·0.01 = 0.05, 4·0.02 = 0.08, 3·0.03 = 0.09, max(2·0.04, 0.09) = 0.09, max(0.05, 0.09) = 0.09
    const adj = holm([0.05, 0.04, 0.03, 0.02, 0.01]);
    [0.09, 0.09, 0.09, 0.08, 0.05].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 14));
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(() => holm([NaN])).toThrow(/p-values/);
  });
});
