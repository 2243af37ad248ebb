import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { compareModels, significanceMarker } from './compare.js';
import type { EvalResult } from './evaluator.js';
import { holm, pairedTTest } from './significance.js';

function result(model: string, values: Record<string, number[]>, fingerprint = 'f00d'): EvalResult {
  const perCase = new Map(Object.entries(values).map(([k, v]) => [k, Float64Array.from(v)] as const));
  const n = Object.values(values)[0].length;
  const mean = Object.fromEntries([...perCase].map(([k, v]) => [k, v.reduce((s, x) => s + x, 0) / n]));
  return {
    model,
    nCases: n,
    nItems: 100,
    ks: [10],
    metricKeys: [...perCase.keys()],
    perCase,
    mean,
    groups: [],
    lists: { k: 10, nLists: n, coverage: 0, diversity: 0, novelty: 0, averagePopularity: 0 },
    casesFingerprint: fingerprint,
    elapsedMs: 0,
  };
}

// Student's sleep data (R `sleep`): paired t = -4.0621, df = 9, p = 0.002833 for drug1 − drug2.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const noise = [0.8, -1.5, -0.1, -1.0, -0.3, 3.3, 3.9, 0.6, 0.3, 1.8];

describe('compareModels', () => {
  it('reports means, the paired difference, its p-value, CI and effect size against the baseline', () => {
    const rows = compareModels(
      [result('base', { 'ndcg@10': drug2 }), result('model', { 'ndcg@10': drug1 })],
      {
        metrics: ['ndcg@10'],
        rng: new Rng(3),
      },
    );
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r).toMatchObject({
      model: 'model',
      baseline: 'base',
      metric: 'ndcg@10',
      nCases: 10,
      significant: true,
      marker: '**',
    });
    expect(r.mean).toBeCloseTo(0.75, 12); // Σ drug1 = 7.5
    expect(r.baselineMean).toBeCloseTo(2.33, 12); // Σ drug2 = 23.3
    expect(r.diff).toBeCloseTo(-1.58, 12);
    expect(r.relativeDiff).toBeCloseTo(-1.58 / 2.33, 12);
    expect(r.t).toBeCloseTo(-4.0621, 4);
    expect(r.p).toBeCloseTo(0.002833, 6);
    expect(r.pHolm).toBe(r.p); // one comparison: Holm changes nothing
    expect(r.ciLow).toBeLessThan(-1.58);
    expect(r.ciHigh).toBeGreaterThan(-1.58);
    expect(r.ciHigh).toBeLessThan(0);
    expect(r.effectSize).toBeCloseTo(-1.2845575625910546, 10);
  });

  it('adjusts p-values with Holm across the models compared on each metric', () => {
    const results = [
      result('base', { 'hr@10': drug2, 'mrr@10': drug1 }),
      result('a', { 'hr@10': drug1, 'mrr@10': drug1.map((x) => x + 0.01) }),
      result('b', { 'hr@10': noise, 'mrr@10': drug2 }),
    ];
    const rows = compareModels(results, { metrics: ['hr@10', 'mrr@10'], rng: new Rng(1), bootstrap: 200 });
    expect(rows.map((r) => `${r.model}:${r.metric}`)).toEqual(['a:hr@10', 'a:mrr@10', 'b:hr@10', 'b:mrr@10']);
    const pHr = [pairedTTest(drug1, drug2).p, pairedTTest(noise, drug2).p];
    const adj = holm(pHr);
    expect(rows[0].pHolm).toBeCloseTo(adj[0], 14);
    expect(rows[2].pHolm).toBeCloseTo(adj[1], 14);
    expect(rows[0].pHolm).toBeGreaterThanOrEqual(rows[0].p);
    // a constant +0.01 difference is "certain": t = +Infinity, p = 0
    expect(rows[1]).toMatchObject({ t: Infinity, p: 0, pHolm: 0, marker: '***' });
  });

  it('uses the chosen baseline and is reproducible from the seed', () => {
    const results = [result('a', { 'ndcg@10': drug1 }), result('b', { 'ndcg@10': drug2 })];
    const one = compareModels(results, {
      baseline: 1,
      metrics: ['ndcg@10'],
      rng: new Rng(9),
      bootstrap: 300,
    });
    const two = compareModels(results, {
      baseline: 1,
      metrics: ['ndcg@10'],
      rng: new Rng(9),
      bootstrap: 300,
    });
    expect(one).toEqual(two);
    expect(one[0]).toMatchObject({ model: 'a', baseline: 'b' });
  });

  it('refuses to pair results from different cases or with a missing metric', () => {
    const base = result('base', { 'ndcg@10': drug2 });
    expect(() =>
      compareModels([base, result('x', { 'ndcg@10': drug1 }, 'beef')], {
        metrics: ['ndcg@10'],
        rng: new Rng(1),
      }),
    ).toThrow(/different cases/);
    expect(() =>
      compareModels([base, result('x', { 'ndcg@10': drug1 })], { metrics: ['hr@20'], rng: new Rng(1) }),
    ).toThrow(/missing/);
    expect(() => compareModels([base], { metrics: ['ndcg@10'], rng: new Rng(1) })).toThrow(/at least two/);
  });

  it('maps adjusted p-values to markers', () => {
    expect([0.0005, 0.005, 0.03, 0.05, 0.5].map(significanceMarker)).toEqual(['***', '**', '*', '', '']);
  });
});
