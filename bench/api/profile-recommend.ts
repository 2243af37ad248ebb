/**
 * In-process timing of the recommend service (no HTTP): mean and p99 per request over the demo's
 * published models and seeded user histories, with the model's own parts timed separately
 * (full scoring `scoreBatch`, and `explainRecommendations` when the model explains itself).
 *   npx tsx bench/api/profile-recommend.ts [--models artifacts/models]
 *     [--history synthetic:data/synthetic/small-seed42] [--model hybrid] [--n 3000]
 */
import { parseArgs } from 'node:util';
import { ModelStore } from '../../src/api/services/model-store.js';
import { OnlineState } from '../../src/api/services/online-state.js';
import { canExplain } from '../../src/api/services/reasons.js';
import {
  buildQuery,
  DEFAULT_MODEL_POLICY,
  defaultModel,
  recommend,
} from '../../src/api/services/recommend.js';
import { loadAndClean } from '../../src/cli/pipeline.js';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'artifacts/models' },
    history: { type: 'string', default: 'synthetic:data/synthetic/small-seed42' },
    model: { type: 'string' },
    n: { type: 'string', default: '3000' },
  },
});
const store = new ModelStore(a.models);
await store.reload();
const state = new OnlineState();
state.seed((await loadAndClean(a.history, { clean: true })).dataset);
const snap = store.snapshot;
const lm = a.model !== undefined ? snap.models.get(a.model) : defaultModel(snap, DEFAULT_MODEL_POLICY);
if (!lm) throw new Error(`model ${a.model} is not published in ${a.models}`);
const users = [...lm.users.ids()].slice(0, Number(a.n));
const WARM = Math.min(200, users.length >> 2);
const total: number[] = [];
let tScore = 0;
let tExplain = 0;
const scores = new Float32Array(lm.model.nItems);
const top10 = Int32Array.from({ length: Math.min(10, lm.model.nItems) }, (_, i) => i);
for (const [i, u] of users.entries()) {
  const h = state.history(u) ?? { items: [], events: [], ts: [] };
  const now = Date.now();
  const t0 = performance.now();
  recommend(snap, DEFAULT_MODEL_POLICY, { userId: u, history: h, k: 10, exclude: [], model: lm.name, now });
  const t1 = performance.now();
  const q = buildQuery(lm, u, h, now, DEFAULT_MODEL_POLICY.sessionGapMs);
  const t2 = performance.now();
  lm.model.scoreBatch([q], scores);
  const t3 = performance.now();
  if (canExplain(lm.model)) lm.model.explainRecommendations(q, top10);
  const t4 = performance.now();
  if (i < WARM) continue;
  total.push(t1 - t0);
  tScore += t3 - t2;
  tExplain += t4 - t3;
}
total.sort((x, y) => x - y);
const n = total.length;
const mean = total.reduce((s, x) => s + x, 0) / n;
process.stdout.write(
  `${lm.name} (${lm.model.nItems} items): recommend() mean ${mean.toFixed(3)} ms, p50 ${total[n >> 1].toFixed(3)} ms, ` +
    `p99 ${total[Math.floor(n * 0.99)].toFixed(3)} ms over ${n} users; of which scoreBatch mean ` +
    `${(tScore / n).toFixed(3)} ms, explainRecommendations mean ${(tExplain / n).toFixed(3)} ms\n`,
);
