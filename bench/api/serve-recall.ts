/**
 * The hybrid's sparse serving path (`src/models/hybrid/serve-candidates.ts`) against its full path
 * on the demo: recall of the served top-10 against `scoreBatch`'s top-10, per-component list recall,
 * and the in-process cost of both (no HTTP).
 *   npx tsx bench/api/serve-recall.ts [--n 1000] [--ann usearch|exact] [--oversample 1] [--m 32] [--ef 128]
 */
import { parseArgs } from 'node:util';
import { ModelStore } from '../../src/api/services/model-store.js';
import { OnlineState } from '../../src/api/services/online-state.js';
import { buildQuery, DEFAULT_MODEL_POLICY } from '../../src/api/services/recommend.js';
import { loadAndClean } from '../../src/cli/pipeline.js';
import { topK } from '../../src/evaluation/list-metrics.js';
import { isConstant } from '../../src/models/hybrid/features.js';
import type { HybridRecommender } from '../../src/models/hybrid/hybrid.js';
import { HybridServing } from '../../src/models/hybrid/serve-candidates.js';
import { topN } from '../../src/models/hybrid/top-n.js';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'artifacts/models' },
    history: { type: 'string', default: 'synthetic:data/synthetic/small-seed42' },
    n: { type: 'string', default: '1000' },
    ann: { type: 'string', default: 'usearch' },
    oversample: { type: 'string', default: '1' },
    ef: { type: 'string', default: '128' },
    m: { type: 'string', default: '32' },
  },
});
const store = new ModelStore(a.models);
await store.reload();
const state = new OnlineState();
state.seed((await loadAndClean(a.history, { clean: true })).dataset);
const lm = store.snapshot.models.get('hybrid');
if (!lm) throw new Error(`no hybrid published in ${a.models}`);
const model = lm.model as HybridRecommender;
const t0 = performance.now();
const serving = new HybridServing(model, {
  ann: a.ann as 'usearch' | 'exact',
  oversample: Number(a.oversample),
  expansionSearch: Number(a.ef),
  connectivity: Number(a.m),
});
const buildMs = performance.now() - t0;
const n = model.nItems;
const row = new Float32Array(n);
const comps = model.servingState.components;
const N = Math.min(model.config.candidatesPerComponent, n);
const skip = new Uint8Array(n);
const listHit = comps.map(() => 0);
const listTotal = comps.map(() => 0);
let hit10 = 0;
let tot10 = 0;
let same10 = 0;
let tFull = 0;
let tServe = 0;
const users = [...lm.users.ids()].slice(0, Number(a.n));
for (const u of users) {
  const h = state.history(u) ?? { items: [], events: [], ts: [] };
  const q = buildQuery(lm, u, h, Date.now(), DEFAULT_MODEL_POLICY.sessionGapMs);
  const s0 = performance.now();
  model.scoreBatch([q], row);
  const want = topK(row, 0, n, 10);
  const s1 = performance.now();
  const got = serving.rank(q, 10).items;
  const s2 = performance.now();
  tFull += s1 - s0;
  tServe += s2 - s1;
  const w = new Set(want);
  let h10 = 0;
  for (const i of got) if (w.has(i)) h10++;
  hit10 += h10;
  tot10 += want.length;
  if (h10 === want.length && got.every((i, r) => i === want[r])) same10++;
  // Component lists (bought items are not skipped here: both sides see the same rows).
  comps.forEach((c, k) => {
    if (serving.servers[k].kind !== 'ann') return;
    c.model.scoreBatch([q], row);
    if (isConstant(row)) return;
    const exact = new Set(topN(row, N, skip));
    for (const i of serving.servers[k].view(q).top(N, skip)) if (exact.has(i)) listHit[k]++;
    listTotal[k] += exact.size;
  });
}
const m = users.length;
process.stdout.write(
  `hybrid serving (${a.ann}, oversample ${a.oversample}, ef ${a.ef}, M ${a.m}; build ${buildMs.toFixed(0)} ms) over ${m} users:\n` +
    `  top-10 recall vs full path ${(hit10 / tot10).toFixed(4)}, identical top-10 lists ${((100 * same10) / m).toFixed(1)} %\n` +
    comps
      .map((c, k) =>
        listTotal[k] > 0
          ? `  ${c.name} top-${N} list recall ${(listHit[k] / listTotal[k]).toFixed(4)}\n`
          : '',
      )
      .join('') +
    `  mean ms per query: full scoreBatch+topK ${(tFull / m).toFixed(3)}, serving rank ${(tServe / m).toFixed(3)}\n`,
);
