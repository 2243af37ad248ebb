/**
 * Design harness for the hybrid's weight learning, on a protocol's VALIDATION stage only (never
 * the test stage): fits the components once on the inner split and once on the validation stage's
 * training data, then compares learning variants (natural sample vs per-stage top-up, starting
 * points, minStageCases) by NDCG@10 on the validation cases, per-stage rows vs the shared row,
 * overall and per funnel stage, with paired t-tests. NDCG is computed on the candidate union
 * (targets outside it count as missed — what full ranking gives when ≥ 10 candidates rank first).
 *
 *   npx tsx bench/hybrid/design.ts [--dataset synthetic:DIR] [--max-cases 3000] [--protocol p1|p2]
 */
import { parseArgs } from 'node:util';
import { dataLabel, loadAndClean } from '../../src/cli/pipeline.js';
import { Rng } from '../../src/core/rng.js';
import { FUNNEL_STAGES } from '../../src/data/processing/funnel.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { cohensDPaired, pairedTTest } from '../../src/evaluation/significance.js';
import { ItemCfRecommender } from '../../src/models/collaborative/itemcf/itemcf.js';
import { parseConfig } from '../../src/models/common/config.js';
import { createComponents, fitComponents, type Component } from '../../src/models/hybrid/components.js';
import type { HybridConfig } from '../../src/models/hybrid/config.js';
import { buildFeatures, type FeatureOptions } from '../../src/models/hybrid/features.js';
import {
  caseNdcg,
  fuseInto,
  gateValue,
  multipliersInto,
  N_STAGES,
  type FusionParams,
} from '../../src/models/hybrid/fusion.js';
import { hybridEntry } from '../../src/models/hybrid/hybrid.js';
import { innerSplit } from '../../src/models/hybrid/inner-split.js';
import { labelCases, learnFusion } from '../../src/models/hybrid/learn-weights.js';
import { benchDatasetSpec } from '../common.js';

const { values: a } = parseArgs({
  options: {
    dataset: { type: 'string' },
    protocol: { type: 'string', default: 'p1' },
    'max-cases': { type: 'string', default: '3000' },
    config: { type: 'string', default: '{}' },
  },
});
const log = (s: string): void => void process.stdout.write(`${s}\n`);
const t0 = performance.now();
const secs = (): string => ((performance.now() - t0) / 1000).toFixed(0);
const spec = await benchDatasetSpec(a.dataset);
const { dataset } = await loadAndClean(spec, { clean: true });
const protocol = a.protocol as 'p1' | 'p2';
const prepared = prepareProtocol(
  protocol,
  dataset,
  protocol === 'p1' ? { maxCases: Number(a['max-cases']), seed: 42 } : {},
);
const stage = prepared.validation;
const data = stage.train.data;
const cfg = parseConfig('hybrid', hybridEntry.configSchema, JSON.parse(a.config!)) as HybridConfig;
let evalCases = stage.cases;
if (protocol === 'p2' && evalCases.length > Number(a['max-cases'])) {
  const idx = new Rng(42)
    .shuffle(Int32Array.from(evalCases.keys()))
    .subarray(0, Number(a['max-cases']))
    .sort();
  evalCases = Array.from(idx, (i) => stage.cases[i]);
}
log(
  `[${secs()} s] ${dataLabel(dataset)}; VALIDATION stage: ${data.events.length} train events, ${evalCases.length} cases`,
);

const opts = (comps: Component[]): FeatureOptions => ({
  config: cfg,
  nItems: data.nItems,
  components: comps,
  cart: cfg.cartComplements
    ? ((comps.find((c) => c.model instanceof ItemCfRecommender)?.model as ItemCfRecommender) ?? null)
    : null,
});
const split = innerSplit(data, {
  fraction: cfg.innerValidFraction,
  maxCases: cfg.maxValidCases,
  perStageCases: 1000,
  cases: cfg.innerCases,
  sessionGapMs: cfg.sessionGapMs,
  funnel: cfg.funnel,
  rng: new Rng(7),
})!;
const natCount = new Array(N_STAGES).fill(0);
const allCount = new Array(N_STAGES).fill(0);
for (const c of split.cases) {
  allCount[c.stage]++;
  if (c.natural) natCount[c.stage]++;
}
log(
  `inner split (${split.mode}): natural per stage ${natCount.join('/')}, with top-up ${allCount.join('/')}`,
);
const comps = createComponents(cfg.components);
await fitComponents(comps, split.train, { rng: new Rng(1) });
log(`[${secs()} s] inner components fitted`);
const innerFeats = buildFeatures(
  split.cases.map((c) => c.query),
  opts(comps),
);
log(`[${secs()} s] inner features built`);
const roles = [...comps.map((c) => c.role), ...(opts(comps).cart ? (['neutral'] as const) : [])];
const S = roles.length;
const labelled = labelCases(
  innerFeats,
  split.cases.map((c) => c.targets),
  split.cases.map((c) => c.natural),
);
const natural = labelled.filter((c) => c.natural);

type Variant = { label: string; params: FusionParams };
const variants: Variant[] = [];
const learn = (label: string, cases: typeof labelled, over: Partial<HybridConfig> = {}): void => {
  const t = performance.now();
  const r = learnFusion(cases, roles, { ...cfg, ...over }, new Rng(11));
  variants.push({ label, params: r.params });
  log(
    `  learned ${label.padEnd(34)} (${((performance.now() - t) / 1000).toFixed(1)} s) ${JSON.stringify(r.report)}`,
  );
  for (let s = 0; s < N_STAGES; s++)
    log(
      `     ${FUNNEL_STAGES[s].padEnd(9)} ${Array.from(r.params.weights.subarray(s * S, (s + 1) * S), (v) => v.toFixed(3)).join(' ')}`,
    );
};
learn('static (natural)', natural, { stageWeights: false });
learn('per-stage natural, min 50', natural, { minStageCases: 50 });
learn('per-stage top-up 1000, min 50', labelled, { minStageCases: 50 });
learn('per-stage top-up 1000, min 200', labelled, { minStageCases: 200 });

await fitComponents(comps, data, { rng: new Rng(1) });
log(`[${secs()} s] components refitted on the validation stage's training data`);
const feats = buildFeatures(
  evalCases.map((c) => c.query),
  opts(comps),
);
const evalLabelled = labelCases(
  feats,
  evalCases.map((c) => c.targets),
);
log(`[${secs()} s] validation features built`);
const mult = new Float64Array(S);
const perCase = (p: FusionParams, stageRows: boolean): Float64Array => {
  const out = new Float64Array(evalLabelled.length);
  evalLabelled.forEach((c, q) => {
    const sc = new Float64Array(c.f.cands.length);
    multipliersInto(roles, cfg.fusion, gateValue(p.theta, c.f.gateX), mult);
    fuseInto(c.f, p.weights, stageRows ? c.f.stage : 0, mult, sc);
    out[q] = caseNdcg(sc, c.f.cands.length, c.relevant, c.nTargets);
  });
  return out;
};
const rows: { label: string; v: Float64Array }[] = [];
for (let c = 0; c < S; c++) {
  const w = new Float64Array(N_STAGES * S);
  for (let s = 0; s < N_STAGES; s++) w[s * S + c] = 1;
  rows.push({
    label: `only ${c < comps.length ? comps[c].name : 'cart'}`,
    v: perCase({ weights: w, theta: new Float64Array(4) }, false),
  });
}
for (const v of variants) rows.push({ label: v.label, v: perCase(v.params, !v.label.startsWith('static')) });
const mean = (x: Float64Array, idx?: number[]): number => {
  const ids = idx ?? Array.from(x.keys());
  return ids.length ? ids.reduce((s, i) => s + x[i], 0) / ids.length : 0;
};
const byStage = FUNNEL_STAGES.map((_, s) => evalLabelled.flatMap((c, q) => (c.f.stage === s ? [q] : [])));
log(`\nNDCG@10 ×100 on the VALIDATION cases (n per stage ${byStage.map((b) => b.length).join('/')}):`);
const ref = rows.find((r) => r.label.startsWith('static'))!;
for (const r of rows) {
  const t = pairedTTest(r.v, ref.v);
  log(
    `${r.label.padEnd(34)} ${(100 * mean(r.v)).toFixed(3)}  vs static ${(100 * t.meanDiff).toFixed(3)} p ${t.p.toExponential(1)} d_z ${cohensDPaired(r.v, ref.v).toFixed(3)} | ` +
      byStage.map((b, s) => `${FUNNEL_STAGES[s]} ${(100 * mean(r.v, b)).toFixed(2)}`).join(' '),
  );
}
log(`[${secs()} s] done`);
