/**
 * P2 (RetailRocket session benchmark, SESSION_BENCHMARK.md) for the neural sequential models.
 * Hyper-parameters and the epoch count are chosen on the VALIDATION stage only (early stopping on
 * MRR@20 of a fixed sample of validation cases); the chosen config is retrained on the test stage's
 * training data for the chosen number of epochs and evaluated once on the 15,132 test cases.
 * Also reported: seconds per epoch, achieved GFLOP/s (FLOPs of an epoch estimated from its shapes)
 * beside a plain tfjs matMul measured in the same run, and single-session inference latency.
 *
 * Run: npx tsx bench/neural/p2.ts --model gru4rec [--grid '[{...},{...}]'] [--max-epochs 10]
 *        [--valid-cases 3000] [--patience 2] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { prepareProtocol, type ProtocolStage } from '../../src/evaluation/protocols/index.js';
import type { EvalCase } from '../../src/evaluation/types.js';
import { parseConfig } from '../../src/models/common/config.js';
import { initTf, tf } from '../../src/models/neural/index.js';
import type { ModelEntry } from '../../src/models/registry.js';
import { gru4recEntry } from '../../src/models/sequential/gru4rec/index.js';
import type { EpochSession, IterativeRecommender, TrainData } from '../../src/models/types.js';
import { trainModel, type TrainReport } from '../../src/training/trainer.js';
import { epochFlops } from './flops.js';
import { queryLatency } from '../common.js';
import { metrics, validationSample } from './p2-common.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'sessions:/work/shared/data/retailrocket/sbr_preprocessed' },
    model: { type: 'string', default: 'gru4rec' },
    grid: { type: 'string', default: '[{}]' },
    'max-epochs': { type: 'string' },
    'valid-cases': { type: 'string', default: '3000' },
    patience: { type: 'string', default: '2' },
    'skip-test': { type: 'boolean', default: false },
    /** Budget mode: no validation stage; train the test stage once with the given config and epochs. */
    'test-only': { type: 'boolean', default: false },
    /** Budget mode: train on the most recent fraction of the training sessions only (1 = all). */
    'recent-fraction': { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});

async function entryOf(name: string): Promise<ModelEntry> {
  if (name === 'gru4rec') return gru4recEntry;
  if (name === 'sasrec') return (await import('../../src/models/sequential/sasrec/index.js')).sasrecEntry;
  throw new Error(`unknown model ${name}`);
}

/** Plain 2-D tfjs matMul GFLOP/s (n × n · n × n), best of 3. */
function matmulGflops(n = 512): number {
  const x = tf.randomNormal([n, n]) as tf.Tensor2D;
  const y = tf.randomNormal([n, n]) as tf.Tensor2D;
  let best = 0;
  for (let r = 0; r < 4; r++) {
    const t = performance.now();
    const z = tf.matMul(x, y);
    z.dataSync();
    z.dispose();
    best = Math.max(best, (2 * n ** 3) / ((performance.now() - t) / 1000) / 1e9);
  }
  tf.dispose([x, y]);
  return best;
}

interface Trained {
  model: IterativeRecommender;
  report: TrainReport;
  session: EpochSession | undefined;
}

/** The stage with only its most recent `fraction` of training sessions (same catalogue). */
function recent(stage: ProtocolStage, fraction: number): ProtocolStage {
  if (fraction >= 1) return stage;
  const d = stage.train.data;
  const nS = d.sessions.offsets.length - 1;
  const first = Math.floor(nS * (1 - fraction));
  const o0 = d.sessions.offsets[first];
  const offsets = Int32Array.from(d.sessions.offsets.subarray(first), (o) => o - o0);
  const data: TrainData = {
    ...d,
    sessions: { offsets, rows: d.sessions.rows.subarray(o0), user: d.sessions.user.subarray(first) },
  };
  return { ...stage, train: { ...stage.train, data } };
}

async function train(
  entry: ModelEntry,
  cfg: unknown,
  stage: ProtocolStage,
  epochs: number,
  validCases: readonly EvalCase[] | null,
  patience: number,
): Promise<Trained> {
  const model = entry.create(parseConfig(entry.name, entry.configSchema, cfg)) as IterativeRecommender;
  let session: EpochSession | undefined;
  const begin = model.beginTraining.bind(model);
  model.beginTraining = (d, c) => (session = begin(d, c));
  const report = await trainModel(model, stage.train.data, {
    rng: new Rng(42),
    epochs,
    patience,
    validate: validCases
      ? (m) => {
          const t = performance.now();
          const r = metrics(m as IterativeRecommender, stage, validCases);
          console.log(
            `    validation MRR@20 ${(100 * r['mrr@20']).toFixed(2)} HR@20 ${(100 * r['hr@20']).toFixed(2)} (${((performance.now() - t) / 1000).toFixed(0)} s)`,
          );
          return r['mrr@20'];
        }
      : undefined,
    onProgress: (() => {
      let n = 0;
      const t0 = performance.now();
      return (e: { task: string; done: number; total?: number }) => {
        if (e.task.endsWith('epoch') && n++ % 2 === 0)
          console.log(
            `    ${e.task} ${e.done}/${e.total} (${((performance.now() - t0) / 1000).toFixed(0)} s since start)`,
          );
      };
    })(),
    logger: {
      info: (o: unknown) => console.log('  epoch', JSON.stringify(o)),
      warn: () => {},
      error: () => {},
      debug: () => {},
    } as never,
  });
  return { model, report, session };
}

async function main(): Promise<void> {
  const entry = await entryOf(a.model!);
  const grid = JSON.parse(a.grid!) as Record<string, unknown>[];
  await initTf('wasm');
  const ds = await loadDataset(a.data!);
  const p = prepareProtocol('p2', ds);
  const validCases = validationSample(p, Number(a['valid-cases']));
  console.log(p.description);
  console.log(
    `validation: ${validCases.length} of ${p.validation.cases.length} cases; test: ${p.test.cases.length} cases`,
  );
  const gflopsBefore = matmulGflops();
  console.log(`plain tfjs-wasm matMul 512²: ${gflopsBefore.toFixed(2)} GFLOP/s`);
  const rows: unknown[] = [];
  let best: { cfg: Record<string, unknown>; mrr: number; epochs: number } | undefined;
  const fraction = Number(a['recent-fraction']);
  if (a['test-only']) {
    const parsed = parseConfig(entry.name, entry.configSchema, {
      ...grid[0],
      ...(a['max-epochs'] ? { epochs: Number(a['max-epochs']) } : {}),
    }) as { epochs: number };
    best = { cfg: grid[0], mrr: NaN, epochs: parsed.epochs };
    console.log(
      `[budget mode] no validation stage: fixed config ${JSON.stringify(grid[0])}, ${parsed.epochs} epochs, most recent ${fraction * 100}% of the training sessions`,
    );
  }
  for (const cfg of a['test-only'] ? [] : grid) {
    const full = { ...cfg, ...(a['max-epochs'] ? { epochs: Number(a['max-epochs']) } : {}) };
    const parsed = parseConfig(entry.name, entry.configSchema, full) as { epochs: number };
    console.log(`[validation] ${entry.name} ${JSON.stringify(cfg)} up to ${parsed.epochs} epochs`);
    const { report, session } = await train(
      entry,
      full,
      p.validation,
      parsed.epochs,
      validCases,
      Number(a.patience),
    );
    const flops = session ? epochFlops(entry.name, parsed, session) : NaN;
    const secs = report.epochs.map((e) => e.seconds);
    const mean = secs.reduce((x, y) => x + y, 0) / Math.max(1, secs.length);
    const bestVal = Math.max(...report.epochs.map((e) => e.validation ?? -1));
    rows.push({
      stage: 'validation',
      cfg,
      epochs: report.epochs,
      bestEpoch: report.bestEpoch,
      secondsPerEpoch: mean,
      gflopPerEpoch: flops / 1e9,
      gflops: flops / 1e9 / mean,
    });
    console.log(
      `  → best epoch ${report.bestEpoch} MRR@20 ${(100 * bestVal).toFixed(2)}; ${mean.toFixed(1)} s/epoch, ${(flops / 1e9).toFixed(0)} GFLOP/epoch → ${(flops / 1e9 / mean).toFixed(2)} GFLOP/s`,
    );
    if (!best || bestVal > best.mrr) best = { cfg, mrr: bestVal, epochs: report.bestEpoch ?? parsed.epochs };
  }
  const result: Record<string, unknown> = {
    model: entry.name,
    budget: { testOnly: a['test-only'], recentFraction: fraction },
    description: p.description,
    matmulGflops: gflopsBefore,
    validation: rows,
    chosen: best,
  };
  if (!a['skip-test'] && best) {
    console.log(
      `[test] retrain ${JSON.stringify(best.cfg)} for ${best.epochs} epochs on ${fraction < 1 ? `the most recent ${fraction * 100}% of` : 'all'} the training sessions`,
    );
    const { model, report, session } = await train(
      entry,
      { ...best.cfg, epochs: best.epochs },
      recent(p.test, fraction),
      best.epochs,
      null,
      1,
    );
    const parsed = parseConfig(entry.name, entry.configSchema, { ...best.cfg, epochs: best.epochs }) as {
      epochs: number;
    };
    const flops = session ? epochFlops(entry.name, parsed, session) : NaN;
    const secs = report.epochs.map((e) => e.seconds);
    const mean = secs.reduce((x, y) => x + y, 0) / Math.max(1, secs.length);
    const t = performance.now();
    const m = metrics(model, p.test, p.test.cases);
    const evalSeconds = (performance.now() - t) / 1000;
    const lat = queryLatency(model, p.test.cases, Math.min(1000, p.test.cases.length));
    const gflopsAfter = matmulGflops();
    result.test = {
      epochs: report.epochs,
      secondsPerEpoch: mean,
      gflopPerEpoch: flops / 1e9,
      gflops: flops / 1e9 / mean,
      matmulGflopsAfter: gflopsAfter,
      hr20: 100 * m['hr@20'],
      mrr20: 100 * m['mrr@20'],
      hr10: 100 * m['hr@10'],
      mrr10: 100 * m['mrr@10'],
      ndcg20: 100 * m['ndcg@20'],
      evalSeconds,
      latencyMs: lat,
    };
    console.log(
      `TEST ${entry.name}: HR@20 ${(100 * m['hr@20']).toFixed(2)} MRR@20 ${(100 * m['mrr@20']).toFixed(2)} HR@10 ${(100 * m['hr@10']).toFixed(2)} MRR@10 ${(100 * m['mrr@10']).toFixed(2)} NDCG@20 ${(100 * m['ndcg@20']).toFixed(2)}`,
    );
    console.log(
      `  ${mean.toFixed(1)} s/epoch, ${(flops / 1e9 / mean).toFixed(2)} GFLOP/s vs plain matMul ${gflopsBefore.toFixed(2)} / ${gflopsAfter.toFixed(2)} GFLOP/s; eval ${evalSeconds.toFixed(0)} s; one session p50 ${lat.p50.toFixed(2)} ms p99 ${lat.p99.toFixed(2)} ms`,
    );
  }
  if (a.json) writeFileSync(a.json, JSON.stringify(result, null, 2));
}

await main();
