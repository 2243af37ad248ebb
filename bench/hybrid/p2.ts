/**
 * P2 (RetailRocket session benchmark, REAL data): the hybrid's session path beside each of its
 * components with the SAME configs as inside the hybrid, HR@20 / MRR@20 / NDCG@10 with paired
 * t-tests (Holm over the components, per metric), bootstrap CIs and effect sizes. The hybrid is
 * the baseline of the comparison rows, so diff > 0 means the component is better than the hybrid.
 *
 *   npx tsx bench/hybrid/p2.ts [--stage test|validation] [--hybrid-config JSON] [--max-cases N] [--json out.json]
 *
 * `--hybrid-config` overrides the hybrid's config; its component configs are used for the single
 * models too. `--max-cases` (validation only) scores a seeded sample of the cases.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { compareModels } from '../../src/evaluation/compare.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { parseConfig } from '../../src/models/common/config.js';
import type { HybridConfig } from '../../src/models/hybrid/config.js';
import { hybridEntry } from '../../src/models/hybrid/hybrid.js';
import { runExperiment } from '../../src/training/experiment.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'sessions:/work/shared/data/retailrocket/sbr_preprocessed' },
    stage: { type: 'string', default: 'test' },
    'hybrid-config': { type: 'string', default: '{}' },
    'max-cases': { type: 'string' },
    json: { type: 'string' },
  },
});
const log = (s: string): void => void process.stdout.write(`${s}\n`);
const t0 = performance.now();
const secs = (): string => ((performance.now() - t0) / 1000).toFixed(0);
const stageName = a.stage as 'test' | 'validation';
const ds = await loadDataset(a.data!);
const prepared = prepareProtocol('p2', ds);
if (a['max-cases'] && stageName === 'validation') {
  const st = prepared.validation;
  const n = Number(a['max-cases']);
  if (st.cases.length > n) {
    const idx = new Rng(42).shuffle(Int32Array.from(st.cases.keys())).subarray(0, n).sort();
    (st as { cases: typeof st.cases }).cases = Array.from(idx, (i) => st.cases[i]);
  }
}
const override = JSON.parse(a['hybrid-config']!) as Record<string, unknown>;
const cfg = parseConfig('hybrid', hybridEntry.configSchema, override) as HybridConfig;
log(`${prepared.description}; stage ${stageName}: ${prepared[stageName].cases.length} cases`);
const e = await runExperiment({
  prepared,
  stage: stageName,
  models: [
    { name: 'hybrid', config: override },
    ...cfg.components.map((c) => ({ name: c.name, config: c.config })),
  ],
  ks: [10, 20],
  seed: 42,
  onProgress: undefined,
});
const metrics = ['hr@20', 'mrr@20', 'ndcg@10'];
for (const r of e.runs)
  log(
    `${r.model.padEnd(18)} ${metrics.map((m) => `${m} ${(100 * r.result.mean[m]).toFixed(2)}`).join('  ')}  fit ${r.train?.seconds.toFixed(0)} s`,
  );
const rows = compareModels(
  e.runs.map((r) => r.result),
  { metrics, rng: new Rng(42) },
);
log('\nEach component vs the hybrid (diff = component − hybrid, ×100; Holm over the components):');
for (const r of rows)
  log(
    `${r.model.padEnd(18)} ${r.metric.padEnd(8)} ${(100 * r.mean).toFixed(2)} vs ${(100 * r.baselineMean).toFixed(2)}  diff ${(100 * r.diff).toFixed(2)} CI [${(100 * r.ciLow).toFixed(2)}, ${(100 * r.ciHigh).toFixed(2)}]  p ${r.p.toExponential(2)} pHolm ${r.pHolm.toExponential(2)} d_z ${r.effectSize.toFixed(3)} ${r.marker}`,
  );
if (a.json)
  writeFileSync(
    a.json,
    JSON.stringify(
      {
        stage: stageName,
        description: prepared.description,
        means: e.runs.map((r) => ({ model: r.model, mean: r.result.mean })),
        rows,
      },
      null,
      1,
    ),
  );
log(`[${secs()} s] done`);
