/**
 * In-process timing of the recommend service (no HTTP): mean and p99 per request over the demo's
 * published models and seeded user histories.
 *   npx tsx bench/api/profile-recommend.ts [--models artifacts/models] [--history synthetic:data/synthetic/small-seed42]
 */
import { parseArgs } from 'node:util';
import { ModelStore } from '../../src/api/services/model-store.js';
import { OnlineState } from '../../src/api/services/online-state.js';
import { DEFAULT_MODEL_POLICY, recommend } from '../../src/api/services/recommend.js';
import { loadAndClean } from '../../src/cli/pipeline.js';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'artifacts/models' },
    history: { type: 'string', default: 'synthetic:data/synthetic/small-seed42' },
    n: { type: 'string', default: '3000' },
  },
});
const store = new ModelStore(a.models);
await store.reload();
const state = new OnlineState();
state.seed((await loadAndClean(a.history, { clean: true })).dataset);
const snap = store.snapshot;
const users = [...snap.models.get('popular-category')!.users.ids()].slice(0, Number(a.n));
const times: number[] = [];
for (const [i, u] of users.entries()) {
  const t0 = performance.now();
  const h = state.history(u) ?? { items: [], events: [], ts: [] };
  recommend(snap, DEFAULT_MODEL_POLICY, { userId: u, history: h, k: 10, exclude: [], now: Date.now() });
  if (i >= 200) times.push(performance.now() - t0);
}
times.sort((x, y) => x - y);
const mean = times.reduce((s, x) => s + x, 0) / times.length;
process.stdout.write(
  `recommend(): mean ${mean.toFixed(3)} ms, p50 ${times[times.length >> 1].toFixed(3)} ms, p99 ${times[Math.floor(times.length * 0.99)].toFixed(3)} ms over ${times.length} users\n`,
);
