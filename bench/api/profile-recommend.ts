/**
 * In-process timing of the recommend service (no HTTP): mean and p99 per request over the demo's
 * published models and seeded user histories, with the model's own parts timed separately: its
 * serving path's `rank` when it has one (the hybrid's sparse path), else full scoring `scoreBatch`,
 * and `explainRecommendations` when the model (or its serving path) explains itself.
 * `--full` makes recommend() use full scoring (policy `candidates: false`), the reference.
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
    full: { type: 'boolean', default: false },
  },
});
const store = new ModelStore(a.models);
await store.reload();
const state = new OnlineState();
state.seed((await loadAndClean(a.history, { clean: true })).dataset);
const snap = store.snapshot;
const lm = a.model !== undefined ? snap.models.get(a.model) : defaultModel(snap, DEFAULT_MODEL_POLICY);
if (!lm) throw new Error(`model ${a.model} is not published in ${a.models}`);
const policy = a.full ? { ...DEFAULT_MODEL_POLICY, candidates: false as const } : DEFAULT_MODEL_POLICY;
const serving = a.full ? undefined : lm.serving;
const explainer = serving?.explainRecommendations ? serving : canExplain(lm.model) ? lm.model : undefined;
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
  recommend(snap, policy, { userId: u, history: h, k: 10, exclude: [], model: lm.name, now });
  const t1 = performance.now();
  const q = buildQuery(lm, u, h, now, DEFAULT_MODEL_POLICY.sessionGapMs);
  const t2 = performance.now();
  const top = serving ? serving.rank(q, 10, null, new Set()).items : top10;
  if (!serving) lm.model.scoreBatch([q], scores);
  const t3 = performance.now();
  explainer?.explainRecommendations?.(q, top);
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
    `p99 ${total[Math.floor(n * 0.99)].toFixed(3)} ms over ${n} users; of which ${serving ? 'serving rank' : 'scoreBatch'} mean ` +
    `${(tScore / n).toFixed(3)} ms, explainRecommendations mean ${(tExplain / n).toFixed(3)} ms\n`,
);
