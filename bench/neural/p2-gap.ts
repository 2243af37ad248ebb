/**
 * How far the P2 validation figures are from the test figures, per model: each model is fitted on
 * the validation stage and scored on the fixed validation sample of p2.ts and on every validation
 * case, then fitted on the test stage and scored on the test cases. Used to read the val→test drop
 * of the neural models against that of the baselines (a sample that happens to favour a model
 * shows up as a gap between the sample and all validation cases).
 *
 * Run: npx tsx bench/neural/p2-gap.ts [--models popular,markov,sknn] [--variant 'sr=markov:{"steps":5}']
 *        [--valid-cases 3000] [--no-test] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { prepareProtocol, type ProtocolStage } from '../../src/evaluation/protocols/index.js';
import type { EvalCase } from '../../src/evaluation/types.js';
import { initTf } from '../../src/models/neural/index.js';
import { createModel } from '../../src/models/registry.js';
import { trainModel } from '../../src/training/trainer.js';
import { metrics, validationSample } from './p2-common.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'sessions:/work/shared/data/retailrocket/sbr_preprocessed' },
    models: { type: 'string', default: 'popular,markov,sknn' },
    variant: { type: 'string', multiple: true, default: [] },
    'valid-cases': { type: 'string', default: '3000' },
    'no-test': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

interface Spec {
  label: string;
  model: string;
  config: unknown;
}

function specs(): Spec[] {
  const out: Spec[] = a
    .models!.split(',')
    .filter(Boolean)
    .map((m) => ({ label: m, model: m, config: {} }));
  for (const v of a.variant!) {
    const m = /^([^=]+)=([^:]+):(.*)$/s.exec(v);
    if (!m) throw new Error(`--variant must look like label=model:{json}, got ${v}`);
    out.push({ label: m[1], model: m[2], config: JSON.parse(m[3]) });
  }
  return out;
}

async function fitted(s: Spec, stage: ProtocolStage) {
  const model = createModel(s.model, s.config);
  const t = performance.now();
  await trainModel(model, stage.train.data, { rng: new Rng(42) });
  return { model, seconds: (performance.now() - t) / 1000 };
}

async function main(): Promise<void> {
  await initTf('wasm');
  const p = prepareProtocol('p2', await loadDataset(a.data!));
  const sample = validationSample(p, Number(a['valid-cases']));
  console.log(
    `validation sample ${sample.length} of ${p.validation.cases.length} cases; test ${p.test.cases.length} cases`,
  );
  const rows: Record<string, unknown>[] = [];
  const score = (m: Parameters<typeof metrics>[0], st: ProtocolStage, c: readonly EvalCase[]) => {
    const r = metrics(m, st, c);
    return { hr20: 100 * r['hr@20'], mrr20: 100 * r['mrr@20'] };
  };
  for (const s of specs()) {
    const v = await fitted(s, p.validation);
    const row: Record<string, unknown> = {
      label: s.label,
      validSample: score(v.model, p.validation, sample),
      validAll: score(v.model, p.validation, p.validation.cases),
    };
    if (!a['no-test']) {
      const t = await fitted(s, p.test);
      row.test = score(t.model, p.test, p.test.cases);
    }
    rows.push(row);
    const f = (k: string): string => {
      const x = row[k] as { hr20: number; mrr20: number } | undefined;
      return x ? `${x.hr20.toFixed(2)} / ${x.mrr20.toFixed(2)}` : '—';
    };
    console.log(
      `${s.label}: HR@20 / MRR@20 — validation sample ${f('validSample')}, all validation ${f('validAll')}, test ${f('test')} (fit ${v.seconds.toFixed(0)} s)`,
    );
  }
  if (a.json) writeFileSync(a.json, JSON.stringify({ description: p.description, rows }, null, 2));
}

await main();
