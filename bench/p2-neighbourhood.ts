/**
 * P2 (RetailRocket session benchmark) for the neighbourhood models: session-kNN (SKNN / V-SKNN)
 * parameters chosen on the VALIDATION stage only (a small grid; selection by HR@20 + MRR@20), then
 * evaluated once on the test stage (15,132 cases) beside Item-CF (its own small validation grid).
 * The published S-KNN figure on this split is HR@20 54.28 % / MRR@20 24.46 %.
 *
 * Run: npx tsx bench/p2-neighbourhood.ts [--valid-every 3] [--json out.json]
 * `--valid-every n` scores every n-th validation case during the grid (default 3: a fixed third of the 37,420 cases keeps the
 * grid to minutes; 1 = all of them).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.js';
import { loadDataset } from '../src/data/load-dataset.js';
import { evaluate } from '../src/evaluation/evaluator.js';
import { prepareProtocol, type ProtocolStage } from '../src/evaluation/protocols/index.js';
import type { EvalCase } from '../src/evaluation/types.js';
import { ItemCfConfigSchema, ItemCfRecommender } from '../src/models/collaborative/itemcf/itemcf.js';
import { SessionKnnRecommender, sknnConfigSchema } from '../src/models/sequential/sknn/sknn.js';
import type { Recommender } from '../src/models/types.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'sessions:/work/shared/data/retailrocket/sbr_preprocessed' },
    'valid-every': { type: 'string', default: '3' },
    json: { type: 'string' },
  },
});

interface Row {
  model: string;
  config: Record<string, unknown>;
  hr20: number;
  mrr20: number;
  hr10: number;
  mrr10: number;
  ndcg20: number;
  seconds: number;
}

function popularity(stage: ProtocolStage): Float64Array {
  const d = stage.train.data;
  const pop = new Float64Array(d.nItems);
  for (let r = 0; r < d.events.length; r++) pop[d.events.item[r]]++;
  return pop;
}

function run(
  model: Recommender,
  stage: ProtocolStage,
  cases: readonly EvalCase[],
  config: Record<string, unknown>,
): Row {
  const t = performance.now();
  const r = evaluate(model, cases, {
    ks: [10, 20],
    itemPopularity: popularity(stage),
    itemCategory: stage.train.data.itemCategory,
  });
  const m = r.mean;
  return {
    model: String(config.variant ?? model.name),
    config,
    hr20: 100 * m['hr@20'],
    mrr20: 100 * m['mrr@20'],
    hr10: 100 * m['hr@10'],
    mrr10: 100 * m['mrr@10'],
    ndcg20: 100 * m['ndcg@20'],
    seconds: (performance.now() - t) / 1000,
  };
}

const fmt = (r: Row): string =>
  `${r.model.padEnd(7)} HR@20 ${r.hr20.toFixed(2)}  MRR@20 ${r.mrr20.toFixed(2)}  HR@10 ${r.hr10.toFixed(2)}  MRR@10 ${r.mrr10.toFixed(2)}  NDCG@20 ${r.ndcg20.toFixed(2)}  (${r.seconds.toFixed(1)} s)  ${JSON.stringify(r.config)}`;

const SKNN_GRID: Record<string, unknown>[] = [
  ...[50, 100, 200].flatMap((k) => [500, 1000].map((sampleSize) => ({ variant: 'sknn', k, sampleSize }))),
  ...[100, 200].flatMap((k) =>
    (['div', 'quadratic'] as const).flatMap((weighting) =>
      (['div', 'quadratic'] as const).map((scoreDecay) => ({
        variant: 'vsknn',
        k,
        sampleSize: 1000,
        weighting,
        scoreDecay,
      })),
    ),
  ),
  ...[1, 5].map((idfWeighting) => ({
    variant: 'vsknn',
    k: 200,
    sampleSize: 1000,
    weighting: 'div',
    scoreDecay: 'div',
    idfWeighting,
  })),
];
const ITEMCF_GRID: Record<string, unknown>[] = [
  ...(['cosine', 'tfidf', 'bm25'] as const).flatMap((similarity) =>
    [null, 1, 2].map((recencyHalfLife) => ({ similarity, recencyHalfLife, neighbours: 200, coTopK: 0 })),
  ),
];

async function main(): Promise<void> {
  const t0 = performance.now();
  const ds = await loadDataset(a.data!);
  const p = prepareProtocol('p2', ds);
  const every = Math.max(1, Number(a['valid-every']));
  const validCases = p.validation.cases.filter((_, i) => i % every === 0);
  console.log(p.description);
  console.log(
    `validation: ${p.validation.cases.length} cases (grid uses ${validCases.length}); test: ${p.test.cases.length} cases; loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // Session-kNN: one index per stage, one scorer per config (fromArtifact shares the index).
  const baseV = new SessionKnnRecommender(sknnConfigSchema('sknn').parse({}));
  let t = performance.now();
  await baseV.fit(p.validation.train.data, { rng: new Rng(1) });
  console.log(`sknn index (validation stage) built in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  const sknnRows: Row[] = [];
  for (const cfg of SKNN_GRID) {
    const parsed = sknnConfigSchema(cfg.variant as 'sknn').parse(cfg);
    const m = SessionKnnRecommender.fromArtifact(baseV.toArtifact(), parsed);
    const row = run(m, p.validation, validCases, cfg);
    sknnRows.push(row);
    console.log(`[valid] ${fmt(row)}`);
  }
  const score = (r: Row): number => r.hr20 + r.mrr20;
  const bestOf = (rows: Row[], variant?: string): Row =>
    rows
      .filter((r) => !variant || r.config.variant === variant)
      .reduce((x, y) => (score(y) > score(x) ? y : x));
  const bestSknn = bestOf(sknnRows, 'sknn');
  const bestAny = bestOf(sknnRows);

  const cfRows: Row[] = [];
  for (const cfg of ITEMCF_GRID) {
    const m = new ItemCfRecommender(ItemCfConfigSchema.parse(cfg));
    t = performance.now();
    await m.fit(p.validation.train.data, { rng: new Rng(1) });
    const fitS = (performance.now() - t) / 1000;
    const row = run(m, p.validation, validCases, { ...cfg, fitSeconds: Number(fitS.toFixed(2)) });
    cfRows.push(row);
    console.log(`[valid] ${fmt(row)}`);
  }
  const bestCf = bestOf(cfRows);

  // Test stage: each chosen config evaluated once.
  const baseT = new SessionKnnRecommender(sknnConfigSchema('sknn').parse({}));
  await baseT.fit(p.test.train.data, { rng: new Rng(1) });
  const testRows: Row[] = [];
  for (const chosen of [bestSknn, bestAny]) {
    const parsed = sknnConfigSchema(chosen.config.variant as 'sknn').parse(chosen.config);
    const m = SessionKnnRecommender.fromArtifact(baseT.toArtifact(), parsed);
    testRows.push(run(m, p.test, p.test.cases, chosen.config));
  }
  const { fitSeconds: _f, ...cfCfg } = bestCf.config;
  const cf = new ItemCfRecommender(ItemCfConfigSchema.parse(cfCfg));
  await cf.fit(p.test.train.data, { rng: new Rng(1) });
  testRows.push(run(cf, p.test, p.test.cases, cfCfg));
  console.log('\nTEST (parameters chosen on validation; published S-KNN: HR@20 54.28, MRR@20 24.46)');
  for (const r of testRows) console.log(`[test] ${fmt(r)}`);
  if (a.json)
    writeFileSync(
      a.json,
      JSON.stringify(
        { description: p.description, validCases: validCases.length, sknnRows, cfRows, testRows },
        null,
        2,
      ),
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
