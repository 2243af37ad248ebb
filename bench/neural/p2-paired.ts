/**
 * Paired comparison on the P2 test cases of models fitted here (cheap registry models) and models
 * loaded from saved artifacts (e.g. a SASRec trained by an earlier `funnelrec evaluate` run), the
 * first model being the baseline: means, paired difference with bootstrap CI, Holm p and d_z.
 * An artifact is only valid here if it was trained on this stage's training data: its manifest's
 * data fingerprint is checked.
 *
 * Run: npx tsx bench/neural/p2-paired.ts --models sknn --artifact 'sasrec=artifacts/eval/sasrec-…'
 */
import { parseArgs } from 'node:util';
import { RecError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { compareModels } from '../../src/evaluation/compare.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { initTf } from '../../src/models/neural/index.js';
import { createModel, modelFromArtifact } from '../../src/models/registry.js';
import { loadArtifact } from '../../src/training/artifact-store.js';
import { trainModel } from '../../src/training/trainer.js';
import { queryLatency } from '../common.js';
import { evaluateOn } from './p2-common.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'sessions:/work/shared/data/retailrocket/sbr_preprocessed' },
    models: { type: 'string', default: 'sknn' },
    artifact: { type: 'string', multiple: true, default: [] },
  },
});

async function main(): Promise<void> {
  await initTf('wasm');
  const p = prepareProtocol('p2', await loadDataset(a.data!));
  const stage = p.test;
  const results = [];
  for (const name of a.models!.split(',').filter(Boolean)) {
    const model = createModel(name, {});
    await trainModel(model, stage.train.data, { rng: new Rng(42) });
    results.push({ ...evaluateOn(model, stage, stage.cases), model: name });
  }
  for (const spec of a.artifact!) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m) throw new RecError('USAGE', `--artifact must look like label=DIR, got ${spec}`);
    const { artifact, meta } = await loadArtifact(m[2]);
    if (meta.dataFingerprint !== stage.train.data.fingerprint)
      throw new RecError(
        'USAGE',
        `${m[2]} was trained on data ${meta.dataFingerprint}, not on this test stage (${stage.train.data.fingerprint}); retrain it with funnelrec evaluate`,
      );
    const model = modelFromArtifact(artifact);
    const lat = queryLatency(model, stage.cases, Math.min(1000, stage.cases.length));
    console.log(`${m[1]}: one session p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms`);
    const t = performance.now();
    results.push({ ...evaluateOn(model, stage, stage.cases), model: m[1] });
    console.log(`${m[1]}: evaluated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const rows = compareModels(results, { metrics: ['hr@20', 'mrr@20', 'ndcg@10'], rng: new Rng(42) });
  for (const r of rows)
    console.log(
      `${r.model} vs ${r.baseline} ${r.metric}: ${(100 * r.mean).toFixed(2)} vs ${(100 * r.baselineMean).toFixed(2)}, ` +
        `diff ${(100 * r.diff).toFixed(2)} [${(100 * r.ciLow).toFixed(2)}, ${(100 * r.ciHigh).toFixed(2)}], ` +
        `p ${r.p.toExponential(2)} (Holm ${r.pHolm.toExponential(2)}), d_z ${r.effectSize.toFixed(3)}`,
    );
}

await main();
