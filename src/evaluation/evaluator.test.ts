import { describe, expect, it } from 'vitest';
import { isRecError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { Query } from '../models/types.js';
import { chooseBatchSize, evaluate, summarizeResult, type EvaluateOptions } from './evaluator.js';
import type { EvalCase, Scorer } from './types.js';

const q = (user: number): Query => ({
  user,
  items: new Int32Array(0),
  events: new Uint8Array(0),
  sessionStart: 0,
  time: 0,
});

/** Scorer whose scores for user u are the row `table[u]`. */
function tableScorer(table: number[][], name = 'table'): Scorer {
  const nItems = table[0].length;
  return {
    name,
    nItems,
    scoreBatch(queries, out) {
      queries.forEach((query, b) => out.set(table[query.user], b * nItems));
    },
  };
}

// 5 items; categories 0,0,1,1,-1; training popularity 4,3,2,1,0 (total 10)
const table = [
  [5, 4, 3, 2, 1], // user 0
  [1, 2, 3, 4, 5], // user 1
  [1, 1, 1, 1, 1], // user 2: all tied
];
const opts = (extra: Partial<EvaluateOptions> = {}): EvaluateOptions => ({
  ks: [2, 1],
  itemPopularity: Int32Array.from([4, 3, 2, 1, 0]),
  itemCategory: Int32Array.from([0, 0, 1, 1, -1]),
  ...extra,
});
const cases: EvalCase[] = [
  { query: q(0), targets: Int32Array.from([1]), groups: { stage: 'view' } }, // rank 2
  { query: q(1), targets: Int32Array.from([4, 0]), groups: { stage: 'cart' } }, // ranks 1 and 5
  { query: q(2), targets: Int32Array.from([2]), exclude: Int32Array.from([0, 1]), groups: { stage: 'view' } }, // tie → rank 3
  {
    query: q(0),
    targets: Int32Array.from([1]),
    exclude: Int32Array.from([0]),
    groups: { stage: 'view', warm: 'yes' },
  }, // rank 1
];

describe('evaluate', () => {
  it('computes per-case metrics with conservative full ranking', () => {
    const r = evaluate(tableScorer(table), cases, opts());
    expect(r.ks).toEqual([1, 2]);
    expect(r.metricKeys.slice(0, 5)).toEqual(['precision@1', 'recall@1', 'ndcg@1', 'mrr@1', 'hr@1']);
    expect([...r.perCase.get('hr@1')!]).toEqual([0, 1, 0, 1]);
    expect([...r.perCase.get('hr@2')!]).toEqual([1, 1, 0, 1]);
    expect([...r.perCase.get('mrr@2')!]).toEqual([0.5, 1, 0, 1]);
    expect([...r.perCase.get('recall@2')!]).toEqual([1, 0.5, 0, 1]);
    expect([...r.perCase.get('precision@2')!]).toEqual([0.5, 0.5, 0, 0.5]);
    // case 0: one target at rank 2 → NDCG@2 = (1/log2 3) / 1 = 0.630930
    // case 1: targets at ranks 1 and 5 → NDCG@2 = 1 / (1 + 1/log2 3) = 0.613147
    const ndcg = r.perCase.get('ndcg@2')!;
    expect(ndcg[0]).toBeCloseTo(0.63093, 5);
    expect(ndcg[1]).toBeCloseTo(0.613147, 5);
    expect(r.mean['hr@2']).toBeCloseTo(0.75, 12);
    expect(r.mean['mrr@2']).toBeCloseTo(2.5 / 4, 12);
  });

  it('reports per-group means with case counts', () => {
    const r = evaluate(tableScorer(table), cases, opts());
    expect(r.groups.map((g) => [g.key, g.value, g.nCases])).toEqual([
      ['stage', 'cart', 1],
      ['stage', 'view', 3],
      ['warm', 'yes', 1],
    ]);
    expect(r.groups[1].mean['hr@2']).toBeCloseTo(2 / 3, 12); // cases 0, 2, 3 → 1, 0, 1
    expect(r.groups[2].mean['mrr@1']).toBe(1);
  });

  it('computes list metrics over the top-max(K) lists without excluded items', () => {
    const r = evaluate(tableScorer(table), cases, opts());
    // top-2 lists: [0,1], [4,3], [2,3] (0,1 excluded, tie by index), [1,2] (0 excluded)
    expect(r.lists.k).toBe(2);
    expect(r.lists.nLists).toBe(4);
    expect(r.lists.coverage).toBe(1); // items 0..4 all recommended
    // diversity: [0,1] same cat → 0; [4,3] -1 vs 1 → 1; [2,3] → 0; [1,2] → 1 → mean 0.5
    expect(r.lists.diversity).toBeCloseTo(0.5, 12);
    // popularity: (4+3)/2, (0+1)/2, (2+1)/2, (3+2)/2 → 3.5, 0.5, 1.5, 2.5 → mean 2
    expect(r.lists.averagePopularity).toBeCloseTo(2, 12);
  });

  it('gives the same result for every batch size and reports progress per batch', () => {
    const events: Progress[] = [];
    const a = evaluate(tableScorer(table), cases, opts({ batchSize: 3, onProgress: (p) => events.push(p) }));
    const b = evaluate(tableScorer(table), cases, opts({ batchSize: 1 }));
    const c = evaluate(tableScorer(table), cases, opts());
    for (const key of a.metricKeys) {
      expect(b.perCase.get(key)).toEqual(a.perCase.get(key));
      expect(c.perCase.get(key)).toEqual(a.perCase.get(key));
    }
    expect(events.map((e) => e.done)).toEqual([3, 4]);
    expect(events[1].total).toBe(4);
    expect(a.casesFingerprint).toBe(b.casesFingerprint);
    expect(evaluate(tableScorer(table), cases.slice(1), opts()).casesFingerprint).not.toBe(
      a.casesFingerprint,
    );
  });

  it('fails with NUMERIC naming the case when a scorer returns NaN or leaves scores unwritten', () => {
    const nan = tableScorer([
      [1, 2, 3, 4, 5],
      [1, NaN, 3, 4, 5],
    ]);
    expect(() => evaluate(nan, [cases[0], cases[1]], opts())).toThrow(/Case 1: Score of item 1 is NaN/);
    const lazy: Scorer = { name: 'lazy', nItems: 5, scoreBatch: (_qs, out) => out.fill(0, 0, 3) };
    let err: unknown;
    try {
      evaluate(lazy, cases, opts());
    } catch (e) {
      err = e;
    }
    expect(isRecError(err, 'NUMERIC')).toBe(true);
  });

  it('stops with CANCELLED when the signal aborts', () => {
    const ctl = new AbortController();
    ctl.abort();
    expect(() => evaluate(tableScorer(table), cases, opts({ signal: ctl.signal }))).toThrow(/cancelled/);
  });

  it('rejects cases without targets and item arrays of the wrong length', () => {
    const empty = [{ ...cases[0], targets: new Int32Array(0) }];
    expect(() => evaluate(tableScorer(table), empty, opts())).toThrow(/Case 0 has no targets/);
    expect(() => evaluate(tableScorer(table), cases, opts({ itemCategory: new Int32Array(3) }))).toThrow(
      /one entry per item/,
    );
    expect(() => evaluate(tableScorer(table), cases, opts({ ks: [] }))).toThrow(/at least one cut-off/);
    expect(() => evaluate(tableScorer(table), cases, opts({ batchSize: 0 }))).toThrow(/batchSize/);
    expect(() => evaluate(tableScorer(table), cases, opts({ batchSize: NaN }))).toThrow(/batchSize/);
  });

  it('summarises a result as plain JSON without the per-case arrays', () => {
    const r = evaluate(tableScorer(table), cases, opts());
    const json = JSON.parse(JSON.stringify(summarizeResult(r)));
    expect(json.model).toBe('table');
    expect(json.mean['hr@2']).toBeCloseTo(0.75, 12);
    expect(json.groups).toHaveLength(3);
    expect(json.perCase).toBeUndefined();
  });

  it('chooses a batch size that keeps the score scratch near 64 MB', () => {
    expect(chooseBatchSize(235_061)).toBe(71);
    expect(chooseBatchSize(37_000)).toBe(453);
    expect(chooseBatchSize(10)).toBe(1024);
    expect(chooseBatchSize(1e9)).toBe(1);
  });
});
