/**
 * In-process cost of each hybrid component's full scoring and top-N (no HTTP), over the demo's
 * published hybrid and seeded user histories.
 *   npx tsx bench/api/profile-components.ts [--n 500]
 */
import { parseArgs } from 'node:util';
import { ModelStore } from '../../src/api/services/model-store.js';
import { OnlineState } from '../../src/api/services/online-state.js';
import { buildQuery, DEFAULT_MODEL_POLICY } from '../../src/api/services/recommend.js';
import { loadAndClean } from '../../src/cli/pipeline.js';
import type { HybridRecommender } from '../../src/models/hybrid/hybrid.js';
import { topN, TopNScratch } from '../../src/models/hybrid/top-n.js';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'artifacts/models' },
    history: { type: 'string', default: 'synthetic:data/synthetic/small-seed42' },
    n: { type: 'string', default: '500' },
  },
});
const store = new ModelStore(a.models);
await store.reload();
const state = new OnlineState();
state.seed((await loadAndClean(a.history, { clean: true })).dataset);
const lm = store.snapshot.models.get('hybrid')!;
const h = lm.model as HybridRecommender;
const comps = h.servingState.components;
const n = lm.model.nItems;
const row = new Float32Array(n);
const heap = new TopNScratch(100);
const tScore = comps.map(() => 0);
let tTop = 0;
const users = [...lm.users.ids()].slice(0, Number(a.n));
for (const u of users) {
  const hist = state.history(u) ?? { items: [], events: [], ts: [] };
  const q = buildQuery(lm, u, hist, Date.now(), DEFAULT_MODEL_POLICY.sessionGapMs);
  comps.forEach((c, k) => {
    const t0 = performance.now();
    c.model.scoreBatch([q], row);
    const t1 = performance.now();
    topN(row, 100, null, heap);
    tTop += performance.now() - t1;
    tScore[k] += t1 - t0;
  });
}
const m = users.length;
process.stdout.write(
  comps.map((c, k) => `${c.name} ${(tScore[k] / m).toFixed(3)} ms`).join(', ') +
    `; topN (all components) ${(tTop / m).toFixed(3)} ms per query\n`,
);
