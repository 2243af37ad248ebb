/**
 * Multi-event signal weighting on P1: how the (view, addtocart, transaction) weights change the
 * results of the models that consume interactions. Same split, same cases, paired significance
 * against the default weights (1/3/5) of each model.
 *
 *   npx tsx bench/event-weights.ts [--dataset synthetic:DIR] [--models itemcf,popular-category,als]
 *
 * Without --dataset it generates the `small` synthetic set into /tmp (labelled SYNTHETIC).
 */
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.js';
import { formatTable, pct } from '../src/cli/output.js';
import { dataLabel, loadAndClean } from '../src/cli/pipeline.js';
import { benchDatasetSpec } from './common.js';
import { compareModels } from '../src/evaluation/compare.js';
import { prepareProtocol } from '../src/evaluation/protocols/index.js';
import { runExperiment, type ModelSpec } from '../src/training/experiment.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    models: { type: 'string', default: 'itemcf,popular-category,als' },
    seed: { type: 'string', default: '42' },
  },
});

const WEIGHTS: [string, { view: number; addtocart: number; transaction: number }][] = [
  ['1/3/5 (default)', { view: 1, addtocart: 3, transaction: 5 }],
  ['1/1/1 (all equal)', { view: 1, addtocart: 1, transaction: 1 }],
  ['1/5/10', { view: 1, addtocart: 5, transaction: 10 }],
  ['1/10/30', { view: 1, addtocart: 10, transaction: 30 }],
  ['0.5/3/5 (views down)', { view: 0.5, addtocart: 3, transaction: 5 }],
];

const spec = await benchDatasetSpec(values.dataset);
const { dataset } = await loadAndClean(spec, { clean: true });
const prepared = prepareProtocol('p1', dataset, { seed: Number(values.seed) });
console.log(`Data: ${dataLabel(dataset)}\nProtocol: ${prepared.description}\n`);

for (const model of values.models!.split(',')) {
  const specs: ModelSpec[] = WEIGHTS.map(([label, w]) => ({
    name: model,
    label: `${model} ${label}`,
    config: { eventWeights: w },
  }));
  const t0 = performance.now();
  const e = await runExperiment({ prepared, models: specs, ks: [10, 20], seed: Number(values.seed) });
  const cmp = compareModels(
    e.runs.map((r) => r.result),
    { metrics: ['ndcg@10', 'hr@20'], rng: new Rng(1) },
  );
  const rows = e.runs.map((r) => {
    const c = cmp.find((x) => x.model === r.model && x.metric === 'ndcg@10');
    const bd = (name: string) => pct(r.breakdowns[name]?.mean['ndcg@10']);
    return [
      r.model,
      pct(r.result.mean['ndcg@10']),
      pct(r.result.mean['hr@20']),
      bd('target=addtocart'),
      bd('target=transaction'),
      c ? `${c.diff >= 0 ? '+' : ''}${(c.diff * 100).toFixed(2)}` : '(reference)',
      c ? `${c.pHolm.toExponential(1)}${c.marker}` : '',
    ];
  });
  console.log(
    formatTable(
      [
        'model / weights',
        'NDCG@10',
        'HR@20',
        'NDCG@10 cart targets',
        'NDCG@10 purchase targets',
        'Δ NDCG@10 (pp)',
        'p (Holm)',
      ],
      rows,
    ),
  );
  console.log(`(${e.runs[0].result.nCases} cases; ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
}
