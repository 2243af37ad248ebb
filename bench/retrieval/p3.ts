/**
 * P3 (MovieLens latest-small, global temporal split): NCF and Two-Tower beside ALS and Popular.
 * Epochs of every iterative model are chosen by early stopping on the VALIDATION stage (NDCG@10 of
 * the validation cases, patience --patience); the model is then retrained on the test stage's
 * training data for the chosen number of epochs and evaluated once on the test cases. Paired
 * significance (t-test + bootstrap CI, Holm) against ALS and against Popular with `compareModels`.
 * Also: training seconds per epoch and single-user inference latency (p50/p99).
 *
 * Run: npx tsx bench/retrieval/p3.ts [--max-epochs 30] [--patience 3] [--models popular,als,ncf,two-tower]
 *        [--ncf '{...}'] [--two-tower '{...}'] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { compareModels } from '../../src/evaluation/compare.js';
import { evaluate, type EvalResult } from '../../src/evaluation/evaluator.js';
import { prepareProtocol, type ProtocolStage } from '../../src/evaluation/protocols/index.js';
import { alsEntry } from '../../src/models/collaborative/als/als.js';
import { ncfEntry } from '../../src/models/collaborative/ncf/index.js';
import { parseConfig } from '../../src/models/common/config.js';
import { getModelEntry, type ModelEntry } from '../../src/models/registry.js';
import { twoTowerEntry } from '../../src/models/retrieval/two-tower/index.js';
import { isIterative, type Recommender } from '../../src/models/types.js';
import { trainModel } from '../../src/training/trainer.js';
import { queryLatency } from '../common.js';

const { values: a } = parseArgs({
  options: {
    'max-epochs': { type: 'string', default: '30' },
    patience: { type: 'string', default: '3' },
    models: { type: 'string', default: 'popular,als,ncf,two-tower' },
    ncf: { type: 'string', default: '{}' },
    'two-tower': { type: 'string', default: '{}' },
    als: { type: 'string', default: '{}' },
    json: { type: 'string' },
  },
});

const ENTRIES: Record<string, () => ModelEntry> = {
  popular: () => getModelEntry('popular'),
  als: () => alsEntry,
  ncf: () => ncfEntry,
  'two-tower': () => twoTowerEntry,
};
const KS = [10, 20];

function opts(stage: ProtocolStage) {
  return { ks: KS, itemPopularity: stage.train.itemCount, itemCategory: stage.train.data.itemCategory };
}

async function main(): Promise<void> {
  const ds = await loadDataset('movielens:/work/shared/data/movielens-latest-small');
  const p = prepareProtocol('p3', ds);
  console.log(p.description);
  console.log(
    `validation: ${p.validation.cases.length} cases (${p.validation.train.data.nItems} items); test: ${p.test.cases.length} cases (${p.test.train.data.nItems} items, ${p.test.train.data.nUsers} users)`,
  );
  const maxEpochs = Number(a['max-epochs']);
  const results: EvalResult[] = [];
  const summary: Record<string, unknown>[] = [];
  for (const name of a.models!.split(',')) {
    const entry = ENTRIES[name]();
    const raw = name in a ? JSON.parse((a as Record<string, string>)[name]) : {};
    const create = (extra: Record<string, unknown> = {}): Recommender =>
      entry.create(parseConfig(name, entry.configSchema, { ...raw, ...extra }));
    let epochs: number | undefined;
    let secondsPerEpoch: number | undefined;
    const probe = create();
    if (isIterative(probe)) {
      const rep = await trainModel(probe, p.validation.train.data, {
        rng: new Rng(42),
        epochs: maxEpochs,
        patience: Number(a.patience),
        validate: (m) => evaluate(m, p.validation.cases, opts(p.validation)).mean['ndcg@10'],
      });
      epochs = rep.bestEpoch ?? maxEpochs;
      console.log(
        `[validation] ${name}: ${rep.epochs.map((e) => `${e.epoch}:${(100 * (e.validation ?? 0)).toFixed(2)}`).join(' ')} → best epoch ${epochs}`,
      );
    }
    const model = create();
    const t = performance.now();
    const rep = await trainModel(model, p.test.train.data, { rng: new Rng(42), epochs });
    const trainS = (performance.now() - t) / 1000;
    if (rep.epochs.length)
      secondsPerEpoch = rep.epochs.reduce((s, e) => s + e.seconds, 0) / rep.epochs.length;
    const r = evaluate(model, p.test.cases, opts(p.test));
    results.push(r);
    const lat = queryLatency(model, p.test.cases, 300);
    const m = r.mean;
    const row = {
      model: name,
      epochs,
      trainSeconds: trainS,
      secondsPerEpoch,
      latencyMs: lat,
      ndcg10: m['ndcg@10'],
      recall10: m['recall@10'],
      hr10: m['hr@10'],
      ndcg20: m['ndcg@20'],
      recall20: m['recall@20'],
      mrr20: m['mrr@20'],
    };
    summary.push(row);
    const byUser = r.groups
      .filter((g) => g.key === 'user')
      .map((g) => `${g.value} (${g.nCases}) NDCG@10 ${(100 * g.mean['ndcg@10']).toFixed(2)}`)
      .join(', ');
    console.log(`[test] ${name}: ${byUser}`);
    console.log(
      `[test] ${name}: NDCG@10 ${(100 * m['ndcg@10']).toFixed(2)} Recall@10 ${(100 * m['recall@10']).toFixed(2)} HR@10 ${(100 * m['hr@10']).toFixed(2)} NDCG@20 ${(100 * m['ndcg@20']).toFixed(2)} Recall@20 ${(100 * m['recall@20']).toFixed(2)}; train ${trainS.toFixed(1)} s (${epochs ?? '-'} epochs, ${secondsPerEpoch?.toFixed(2) ?? '-'} s/epoch); one user p50 ${lat.p50.toFixed(2)} ms p99 ${lat.p99.toFixed(2)} ms`,
    );
  }
  const names = a.models!.split(',');
  const comparisons: Record<string, unknown> = {};
  for (const base of ['als', 'popular']) {
    const b = names.indexOf(base);
    if (b < 0) continue;
    const rows = compareModels(results, {
      baseline: b,
      metrics: ['ndcg@10', 'recall@10', 'ndcg@20'],
      rng: new Rng(1),
    });
    comparisons[base] = rows;
    console.log(
      `\npaired comparison against ${base} (${results[b].nCases} test users; Holm over models per metric):`,
    );
    for (const c of rows)
      console.log(
        `  ${c.model.padEnd(10)} ${c.metric.padEnd(9)} ${(100 * c.mean).toFixed(2)} vs ${(100 * c.baselineMean).toFixed(2)}  diff ${(100 * c.diff).toFixed(2)} [${(100 * c.ciLow).toFixed(2)}, ${(100 * c.ciHigh).toFixed(2)}]  p=${c.p.toPrecision(3)} pHolm=${c.pHolm.toPrecision(3)} ${c.marker}`,
      );
  }
  if (a.json) writeFileSync(a.json, JSON.stringify({ summary, comparisons }, null, 2));
}

await main();
