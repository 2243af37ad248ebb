/**
 * Model selection for the hybrid on the VALIDATION stage of P1 (never the test stage): which score
 * normalisation to use. Prints NDCG@10 per variant with paired significance against `rank`.
 *
 *   npx tsx bench/hybrid/select.ts [--dataset synthetic:DIR]      (default: small synthetic, seed 42)
 */
import { parseArgs } from 'node:util';
import { formatTable, pct } from '../../src/cli/output.js';
import { dataLabel, loadAndClean } from '../../src/cli/pipeline.js';
import { Rng } from '../../src/core/rng.js';
import { benchDatasetSpec } from '../common.js';
import { compareModels } from '../../src/evaluation/compare.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { runExperiment } from '../../src/training/experiment.js';

const { values } = parseArgs({
  options: { dataset: { type: 'string' }, variants: { type: 'string', default: 'rank,minmax,zscore' } },
});
const spec = await benchDatasetSpec(values.dataset);
const { dataset } = await loadAndClean(spec, { clean: true });
const prepared = prepareProtocol('p1', dataset, { seed: 42 });
console.log(
  `Data: ${dataLabel(dataset)}\nValidation stage: ${prepared.validation.cases.length} users, cut ${new Date(prepared.validation.from).toISOString().slice(0, 10)}\n`,
);
const variants = values.variants!.split(',');
const e = await runExperiment({
  prepared,
  stage: 'validation',
  models: variants.map((v) => ({
    name: 'hybrid',
    label: `hybrid normalisation=${v}`,
    config: { normalisation: v },
  })),
  ks: [10, 20],
  seed: 42,
});
const cmp = compareModels(
  e.runs.map((r) => r.result),
  { metrics: ['ndcg@10'], rng: new Rng(1) },
);
console.log(
  formatTable(
    ['variant', 'NDCG@10', 'HR@20', 'Δ vs rank (pp)', 'p (Holm)', 'fit s'],
    e.runs.map((r) => {
      const c = cmp.find((x) => x.model === r.model);
      return [
        r.model,
        pct(r.result.mean['ndcg@10'], 3),
        pct(r.result.mean['hr@20']),
        c ? (c.diff * 100).toFixed(3) : '(reference)',
        c ? `${c.pHolm.toExponential(1)}${c.marker}` : '',
        r.train?.seconds.toFixed(0),
      ];
    }),
  ),
);
