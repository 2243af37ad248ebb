/**
 * Speed of the evaluation core with a trivial scorer (no model cost):
 * - the full evaluator on 15 K cases × 37 K items (the P2 session benchmark size) and on 1 K cases
 *   over the full 235 K RetailRocket catalogue;
 * - the fast kernels against their readable references (ratio side by side);
 * - compareModels (paired t + 2,000 bootstrap resamples) on 15 K cases.
 * Run: npx tsx bench/evaluate-speed.ts
 */
import { Rng } from '../src/core/rng.js';
import { compareModels } from '../src/evaluation/compare.js';
import { evaluate, type EvalResult } from '../src/evaluation/evaluator.js';
import { topK, topKReference } from '../src/evaluation/list-metrics.js';
import { targetRanks, targetRanksReference } from '../src/evaluation/ranks.js';
import type { EvalCase, Scorer } from '../src/evaluation/types.js';

function noiseScorer(name: string, nItems: number, seed: number): Scorer {
  const rng = new Rng(seed);
  const base = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) base[i] = rng.next();
  return {
    name,
    nItems,
    scoreBatch(queries, out) {
      // a shifted copy of one random vector per query: trivial cost, non-trivial rankings
      for (let b = 0; b < queries.length; b++) {
        const shift = (queries[b].user * 7919) % nItems;
        out.set(base.subarray(shift), b * nItems);
        out.set(base.subarray(0, shift), b * nItems + nItems - shift);
      }
    },
  };
}

function makeCases(nCases: number, nItems: number): EvalCase[] {
  const rng = new Rng(7);
  const cases: EvalCase[] = [];
  for (let i = 0; i < nCases; i++) {
    const nT = 1 + rng.int(3);
    const targets = new Int32Array(nT);
    for (let t = 0; t < nT; t++) targets[t] = (i * 31 + t * 997) % nItems;
    const exclude = Int32Array.from({ length: 5 }, () => rng.int(nItems));
    cases.push({
      query: { user: i, items: exclude, events: new Uint8Array(5), sessionStart: 0, time: 0 },
      targets,
      exclude,
      groups: { stage: i % 3 === 0 ? 'view' : 'cart' },
    });
  }
  return cases;
}

function runEvaluate(scorer: Scorer, cases: EvalCase[]): EvalResult {
  const nItems = scorer.nItems;
  const rng = new Rng(3);
  const pop = Int32Array.from({ length: nItems }, () => rng.int(100));
  const cat = Int32Array.from({ length: nItems }, () => rng.int(1000) - 1);
  const t0 = performance.now();
  const r = evaluate(scorer, cases, { ks: [10, 20], itemPopularity: pop, itemCategory: cat });
  const ms = performance.now() - t0;
  const perItem = (ms * 1e6) / (cases.length * nItems);
  console.log(
    `evaluate ${cases.length} cases × ${nItems} items: ${(ms / 1000).toFixed(2)} s (${perItem.toFixed(2)} ns per case-item)`,
  );
  return r;
}

function kernelsVsReference(nItems: number, nCases: number): void {
  const scorer = noiseScorer('k', nItems, 5);
  const cases = makeCases(nCases, nItems);
  const buf = new Float32Array(nItems);
  let fast = 0;
  let ref = 0;
  let fastTop = 0;
  let refTop = 0;
  for (const c of cases) {
    scorer.scoreBatch([c.query], buf);
    let t = performance.now();
    targetRanks(buf, 0, nItems, c.targets, c.exclude);
    fast += performance.now() - t;
    t = performance.now();
    targetRanksReference(buf, 0, nItems, c.targets, c.exclude);
    ref += performance.now() - t;
    t = performance.now();
    topK(buf, 0, nItems, 20, c.exclude);
    fastTop += performance.now() - t;
    t = performance.now();
    topKReference(buf, 0, nItems, 20, c.exclude);
    refTop += performance.now() - t;
  }
  const f = (ms: number) => `${((ms * 1e6) / (nCases * nItems)).toFixed(2)} ns/item`;
  console.log(
    `targetRanks ${f(fast)} vs reference ${f(ref)} (×${(ref / fast).toFixed(0)}); topK ${f(fastTop)} vs reference ${f(refTop)} (×${(refTop / fastTop).toFixed(0)})`,
  );
}

kernelsVsReference(37_483, 100);
const cases = makeCases(15_132, 37_483);
const a = runEvaluate(noiseScorer('noise-a', 37_483, 1), cases);
const b = runEvaluate(noiseScorer('noise-b', 37_483, 2), cases);
runEvaluate(noiseScorer('noise-big', 235_061, 1), makeCases(1_000, 235_061));
const t0 = performance.now();
const rows = compareModels([a, b], { metrics: ['ndcg@10', 'hr@20', 'mrr@20', 'recall@20'], rng: new Rng(1) });
console.log(
  `compareModels 2 models × 4 metrics × 15,132 cases, 2,000 bootstrap resamples: ${((performance.now() - t0) / 1000).toFixed(2)} s (p ndcg@10 = ${rows[0].p.toFixed(3)})`,
);
