/**
 * Speed of the full-ranking evaluator with a trivial scorer (no model cost): 15 K cases × 37 K items
 * (the P2 session benchmark size) and a few cases over the full 235 K RetailRocket catalogue.
 * Run: npx tsx bench/evaluate-speed.ts
 */
import { Rng } from '../src/core/rng.js';
import { evaluate } from '../src/evaluation/evaluator.js';
import type { EvalCase, Scorer } from '../src/evaluation/types.js';

function run(nCases: number, nItems: number): void {
  const rng = new Rng(7);
  const base = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) base[i] = rng.next();
  const scorer: Scorer = {
    name: 'noise',
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
  const pop = Int32Array.from({ length: nItems }, () => rng.int(100));
  const cat = Int32Array.from({ length: nItems }, () => rng.int(1000) - 1);
  const t0 = performance.now();
  const r = evaluate(scorer, cases, { ks: [10, 20], itemPopularity: pop, itemCategory: cat });
  const ms = performance.now() - t0;
  console.log(
    `${nCases} cases × ${nItems} items: ${(ms / 1000).toFixed(2)} s (${((nCases * nItems) / ms / 1e3).toFixed(0)} M scores/s), hr@20 ${r.mean['hr@20'].toFixed(4)}`,
  );
}

run(15_132, 37_483);
run(1_000, 235_061);
