/**
 * P1 (user-level temporal) on the synthetic data: the Funnel-Aware Hybrid vs each of its single
 * components vs `hybrid-static`, NDCG@10 with paired t-tests (Holm), bootstrap CIs and effect
 * sizes (`compareModels`), overall and per funnel stage; plus the fusion ablation
 * (session-only / history-only / no gate) with `--ablation`. All data is SYNTHETIC.
 *
 * Run: npx tsx bench/hybrid/p1.ts [--scale small|full] [--seed 42] [--max-cases N] [--ablation] [--json out.json]
 * The data set is generated into /tmp/funnelrec-hybrid/<scale>-seed<seed> on first use.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { generateSynthetic, SYNTHETIC_MARKER_FILE } from '../../src/data/synthetic/generate.js';
import type { SyntheticScale } from '../../src/data/synthetic/scales.js';
import { compareModels, type ComparisonRow } from '../../src/evaluation/compare.js';
import { evaluate, type EvalResult } from '../../src/evaluation/evaluator.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { pairedTTest, cohensDPaired } from '../../src/evaluation/significance.js';
import { createComponents } from '../../src/models/hybrid/components.js';
import { HybridRecommender, hybridEntry, hybridStaticEntry } from '../../src/models/hybrid/hybrid.js';
import { parseConfig } from '../../src/models/common/config.js';
import type { Recommender } from '../../src/models/types.js';
import { trainModel } from '../../src/training/trainer.js';

const { values: a } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    seed: { type: 'string', default: '42' },
    'max-cases': { type: 'string' },
    ablation: { type: 'boolean', default: false },
    normalisation: { type: 'string' },
    json: { type: 'string' },
  },
});
const scale = a.scale as SyntheticScale;
const seed = Number(a.seed);
const dir = `/tmp/funnelrec-hybrid/${scale}-seed${seed}`;
const log = (s: string): void => void process.stdout.write(`${s}\n`);
const t0 = performance.now();
const secs = (): string => ((performance.now() - t0) / 1000).toFixed(0);

if (!existsSync(`${dir}/${SYNTHETIC_MARKER_FILE}`)) {
  log(`generating synthetic ${scale} (seed ${seed}) into ${dir} …`);
  await generateSynthetic({ scale, seed, outDir: dir });
}
const ds = await loadDataset(`synthetic:${dir}`);
const prepared = prepareProtocol('p1', ds, a['max-cases'] ? { maxCases: Number(a['max-cases']) } : {});
const stage = prepared.test;
const data = stage.train.data;
log(
  `[${secs()} s] ${prepared.description} (SYNTHETIC ${scale}, seed ${seed}); ${data.events.length} train events, ${data.nItems} items, ${stage.cases.length} cases`,
);
const evalOpts = { ks: [10, 20], itemPopularity: stage.train.itemCount, itemCategory: data.itemCategory };

const results: EvalResult[] = [];
let lastHybrid: HybridRecommender | undefined;
const extra: Record<string, unknown> = {};
async function run(name: string, model: Recommender): Promise<EvalResult> {
  const t = performance.now();
  await trainModel(model, data, { rng: new Rng(seed) });
  const fitS = (performance.now() - t) / 1000;
  const r = evaluate(
    { name, nItems: model.nItems, scoreBatch: (q, o) => model.scoreBatch(q, o) },
    stage.cases,
    evalOpts,
  );
  log(
    `[${secs()} s] ${name.padEnd(24)} NDCG@10 ${(100 * r.mean['ndcg@10']).toFixed(3)}  HR@10 ${(100 * r.mean['hr@10']).toFixed(2)}  fit ${fitS.toFixed(1)} s, eval ${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  if (model instanceof HybridRecommender) {
    if (name === 'hybrid') lastHybrid = model;
    extra[name] = { report: model.learnReport, weights: model.weights() };
    log(`    inner validation: ${JSON.stringify(model.learnReport)}`);
    log(`    weights: ${JSON.stringify(model.weights())}`);
  }
  results.push(r);
  return r;
}

const norm = a.normalisation ? { normalisation: a.normalisation } : {};
const hybridCfg = parseConfig('hybrid', hybridEntry.configSchema, norm) as {
  components: { name: string; config: Record<string, unknown> }[];
};
for (const c of createComponents(hybridCfg.components as never)) await run(c.name, c.model);
await run('popular', createComponents([{ name: 'popular', config: {} }])[0].model);
const singles = results.slice();
const hybrid = await run('hybrid', hybridEntry.create(parseConfig('hybrid', hybridEntry.configSchema, norm)));
// Explanation coverage: share of the top-10 items of (up to) 1,000 test cases with a reason, and
// the share whose reason comes from a model signal rather than the popularity fallback.
{
  const model = lastHybrid!;
  const sample = stage.cases.filter((_, i) => i % Math.max(1, Math.floor(stage.cases.length / 1000)) === 0);
  const row = new Float32Array(model.nItems);
  let total = 0;
  let covered = 0;
  let specific = 0;
  const codes: Record<string, number> = {};
  for (const c of sample) {
    model.scoreBatch([c.query], row);
    const top = Array.from(row.keys())
      .sort((x, y) => row[y] - row[x] || x - y)
      .slice(0, 10);
    for (const e of model.explain(c.query, top, 'en')) {
      total++;
      if (!e.reason) continue;
      covered++;
      if (e.reason.source !== 'popular') specific++;
      codes[e.reason.code] = (codes[e.reason.code] ?? 0) + 1;
    }
  }
  extra.coverage = { items: total, covered: covered / total, fromModelSignal: specific / total, codes };
  log(
    `    explanation coverage: ${((100 * covered) / total).toFixed(2)} % of ${total} recommended items (${((100 * specific) / total).toFixed(2)} % from a model signal, rest popularity fallback); codes ${JSON.stringify(codes)}`,
  );
}
const statik = await run(
  'hybrid-static',
  hybridStaticEntry.create(parseConfig('hybrid-static', hybridStaticEntry.configSchema, norm)),
);
if (a.ablation) {
  for (const fusion of ['none', 'session-only', 'history-only'] as const) {
    await run(
      `hybrid fusion=${fusion}`,
      hybridEntry.create(parseConfig('hybrid', hybridEntry.configSchema, { ...norm, fusion })),
    );
  }
  await run(
    'hybrid no-cart',
    hybridEntry.create(parseConfig('hybrid', hybridEntry.configSchema, { ...norm, cartComplements: false })),
  );
  await run(
    'hybrid repurchase',
    hybridEntry.create(parseConfig('hybrid', hybridEntry.configSchema, { ...norm, repurchase: true })),
  );
}

const best = singles.reduce((x, y) => (y.mean['ndcg@10'] > x.mean['ndcg@10'] ? y : x));
const fmtRow = (r: ComparisonRow): string =>
  `${r.model.padEnd(24)} vs ${r.baseline.padEnd(16)} ${r.metric} ${(100 * r.mean).toFixed(3)} vs ${(100 * r.baselineMean).toFixed(3)}  diff ${(100 * r.diff).toFixed(3)} (${(100 * r.relativeDiff).toFixed(1)} %)  ` +
  `CI [${(100 * r.ciLow).toFixed(3)}, ${(100 * r.ciHigh).toFixed(3)}]  p ${r.p.toExponential(2)}  pHolm ${r.pHolm.toExponential(2)}  d_z ${r.effectSize.toFixed(3)} ${r.marker}`;
log(`\nEvery model vs the best single model (${best.model}), n = ${best.nCases}:`);
const rows = compareModels([best, ...results.filter((r) => r !== best)], {
  metrics: ['ndcg@10'],
  rng: new Rng(seed),
});
rows.forEach((r) => log(fmtRow(r)));
log('\nPer-stage weights vs static weights:');
const stat = compareModels([statik, hybrid], { metrics: ['ndcg@10', 'hr@10'], rng: new Rng(seed) });
stat.forEach((r) => log(fmtRow(r)));

log('\nPer funnel stage (NDCG@10 ×100; paired t-test hybrid vs best single and vs static inside the stage):');
const stages = ['cold', 'browsing', 'intent', 'converted'];
const perStage: Record<string, unknown>[] = [];
const idxOf = (s: string): number[] => stage.cases.flatMap((c, i) => (c.groups.stage === s ? [i] : []));
const pick = (r: EvalResult, idx: number[]): Float64Array =>
  Float64Array.from(idx, (i) => r.perCase.get('ndcg@10')![i]);
for (const s of stages) {
  const idx = idxOf(s);
  if (idx.length < 2) continue;
  const cells = results.map((r) => `${r.model} ${(100 * mean(pick(r, idx))).toFixed(2)}`).join(' | ');
  const vb = pairedTTest(pick(hybrid, idx), pick(best, idx));
  const vs = pairedTTest(pick(hybrid, idx), pick(statik, idx));
  log(`${s.padEnd(10)} n=${idx.length}: ${cells}`);
  log(
    `${''.padEnd(10)} hybrid−best ${(100 * vb.meanDiff).toFixed(3)} p ${vb.p.toExponential(2)} d_z ${cohensDPaired(pick(hybrid, idx), pick(best, idx)).toFixed(3)}; hybrid−static ${(100 * vs.meanDiff).toFixed(3)} p ${vs.p.toExponential(2)} d_z ${cohensDPaired(pick(hybrid, idx), pick(statik, idx)).toFixed(3)}`,
  );
  perStage.push({
    stage: s,
    n: idx.length,
    means: Object.fromEntries(results.map((r) => [r.model, mean(pick(r, idx))])),
    hybridVsBest: vb,
    hybridVsStatic: vs,
  });
}
function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return x.length ? s / x.length : 0;
}
if (a.json) {
  writeFileSync(
    a.json,
    JSON.stringify(
      {
        scale,
        seed,
        synthetic: true,
        description: prepared.description,
        means: Object.fromEntries(results.map((r) => [r.model, r.mean])),
        vsBest: rows,
        perStageVsStatic: stat,
        perStage,
        hybrids: extra,
      },
      null,
      1,
    ),
  );
}
log(`[${secs()} s] done`);
