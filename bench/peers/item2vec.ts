/**
 * Item2Vec against gensim (Word2Vec sg=1, negative sampling) on the same sessions, the same
 * hyper-parameters and the same number of threads:
 * - throughput: session tokens × epochs / training seconds / threads (items trained per second per
 *   thread; corpus building and vocabulary excluded on both sides), and the ratio ours / gensim;
 *   also per CPU second (tokens × epochs / CPU seconds of the process during training), which is
 *   what a thread does on a core of its own and is robust to other load on the machine;
 * - quality: P2 HR@20 / MRR@20 (our evaluator, validation stage unless --stage test) of both
 *   embeddings scored the same way (gensim's vectors loaded back into our scorer).
 *
 * Run (see bench/peers/README.md for the Python venv):
 *   npx tsx bench/peers/item2vec.ts --python /tmp/venv-gensim/bin/python
 * Options: --data SPEC (default the real session benchmark), --stage validation|test, --dim 64,
 * --window 5, --negative 5, --epochs 10, --threads 2, --sample 0, --min-count 1, --alpha 0.025,
 * --recency 0.8, --seed 1, --workdir /tmp/item2vec-bench, --kernel auto|js (our SGNS kernel:
 * WebAssembly SIMD when available, or the JavaScript one), --skip-gensim.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { evaluate } from '../../src/evaluation/evaluator.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import type { ProtocolStage } from '../../src/evaluation/protocols/index.js';
import { parseConfig } from '../../src/models/common/config.js';
import {
  Item2VecConfigSchema,
  Item2VecRecommender,
  type Item2VecConfig,
} from '../../src/models/content/item2vec/index.js';
import { sgnsWasmAvailable } from '../../src/models/content/item2vec/sgns-wasm.js';
import type { Scorer } from '../../src/evaluation/types.js';
import { trainModel } from '../../src/training/trainer.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'sessions:/work/shared/data/retailrocket/sbr_preprocessed' },
    stage: { type: 'string', default: 'validation' },
    dim: { type: 'string', default: '64' },
    window: { type: 'string', default: '5' },
    negative: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '10' },
    threads: { type: 'string', default: '2' },
    sample: { type: 'string', default: '0' },
    'min-count': { type: 'string', default: '1' },
    alpha: { type: 'string', default: '0.025' },
    recency: { type: 'string', default: '0.8' },
    seed: { type: 'string', default: '1' },
    python: { type: 'string', default: 'python3' },
    workdir: { type: 'string', default: '/tmp/item2vec-bench' },
    kernel: { type: 'string', default: 'auto' },
    'skip-gensim': { type: 'boolean', default: false },
  },
});

const cfg: Item2VecConfig = parseConfig('item2vec', Item2VecConfigSchema, {
  dim: Number(a.dim),
  window: Number(a.window),
  negative: Number(a.negative),
  epochs: Number(a.epochs),
  threads: Number(a.threads),
  sample: Number(a.sample),
  minCount: Number(a['min-count']),
  alpha: Number(a.alpha),
  recencyDecay: Number(a.recency),
  kernel: a.kernel,
});

/** Writes every training session as one line of item indices; returns the token count. */
function exportSessions(stage: ProtocolStage, file: string): number {
  const { sessions, events } = stage.train.data;
  const lines: string[] = [];
  for (let s = 0; s + 1 < sessions.offsets.length; s++) {
    const items: number[] = [];
    for (let k = sessions.offsets[s]; k < sessions.offsets[s + 1]; k++)
      items.push(events.item[sessions.rows[k]]);
    lines.push(items.join(' '));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return sessions.rows.length;
}

/** gensim's text vectors → an Item2Vec model with those input vectors (same scoring as ours). */
function loadGensimVectors(file: string, nItems: number): Item2VecRecommender {
  const vectors = new Float32Array(nItems * cfg.dim);
  const inVocab = new Uint8Array(nItems);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    const item = Number(parts[0]);
    inVocab[item] = 1;
    for (let j = 0; j < cfg.dim; j++) vectors[item * cfg.dim + j] = Number(parts[j + 1]);
  }
  return Item2VecRecommender.fromArtifact(
    { model: 'item2vec', config: cfg, state: {}, arrays: { vectors, inVocab } },
    cfg,
  );
}

function quality(scorer: Scorer, stage: ProtocolStage): { hr20: number; mrr20: number; seconds: number } {
  const t0 = performance.now();
  const r = evaluate(scorer, stage.cases, {
    ks: [20],
    itemPopularity: stage.train.itemCount,
    itemCategory: stage.train.data.itemCategory,
  });
  return { hr20: r.mean['hr@20'], mrr20: r.mean['mrr@20'], seconds: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  mkdirSync(a.workdir!, { recursive: true });
  const ds = await loadDataset(a.data!);
  const prepared = prepareProtocol('p2', ds);
  const stage = a.stage === 'test' ? prepared.test : prepared.validation;
  const { data } = stage.train;
  const sentFile = join(a.workdir!, 'sentences.txt');
  const tokens = exportSessions(stage, sentFile);
  const threads = cfg.threads ?? 1;
  console.log(
    `${prepared.description}\nstage ${a.stage}: ${data.sessions.offsets.length - 1} sessions, ${tokens} tokens, ${data.nItems} items, ${stage.cases.length} cases → ${sentFile}`,
  );
  console.log(`config ${JSON.stringify(cfg)}`);
  const wasm = cfg.kernel === 'auto' && sgnsWasmAvailable(cfg.dim);
  console.log(`our SGNS kernel: ${wasm ? 'WebAssembly SIMD (f32x4)' : 'JavaScript'}`);

  const ours = new Item2VecRecommender(cfg);
  const cpu0 = process.cpuUsage();
  const report = await trainModel(ours, data, { rng: new Rng(Number(a.seed)) });
  const cpu1 = process.cpuUsage(cpu0);
  // Process CPU while training: the workers (plus their start-up, ~1 s); the main thread only waits.
  const oursCpu = (cpu1.user + cpu1.system) / 1e6;
  const oursCpuRate = (tokens * cfg.epochs) / oursCpu;
  const oursTrain = report.epochs.reduce((s, e) => s + e.seconds, 0);
  const oursRate = (tokens * cfg.epochs) / oursTrain / threads;
  const oursQ = quality(ours, stage);
  const oursRss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `ours: train ${oursTrain.toFixed(2)} s (${report.epochs.map((e) => e.seconds.toFixed(2)).join(', ')} s/epoch; total with corpus + workers ${report.seconds.toFixed(2)} s), loss ${report.epochs.at(-1)?.loss.toFixed(4)}`,
  );

  const rows: string[][] = [
    ['', 'train s', 'items/s/thread', 'CPU s', 'items/CPU s', 'HR@20', 'MRR@20', 'peak RSS MB'],
  ];
  rows.push([
    'ours',
    oursTrain.toFixed(2),
    oursRate.toFixed(0),
    oursCpu.toFixed(2),
    oursCpuRate.toFixed(0),
    (100 * oursQ.hr20).toFixed(2),
    (100 * oursQ.mrr20).toFixed(2),
    `${oursRss.toFixed(0)} (whole bench process)`,
  ]);
  if (!a['skip-gensim']) {
    const vecFile = join(a.workdir!, 'gensim-vectors.txt');
    const args = [
      join(import.meta.dirname, 'gensim_item2vec.py'),
      '--sentences',
      sentFile,
      '--out',
      vecFile,
      '--dim',
      String(cfg.dim),
      '--window',
      String(cfg.window),
      '--negative',
      String(cfg.negative),
      '--epochs',
      String(cfg.epochs),
      '--alpha',
      String(cfg.alpha),
      '--min-alpha',
      String(cfg.minAlpha),
      '--sample',
      String(cfg.sample),
      '--min-count',
      String(cfg.minCount),
      '--workers',
      String(threads),
      '--seed',
      a.seed!,
    ];
    const run = spawnSync(a.python!, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0)
      throw new Error(`gensim run failed (${a.python} ${args.join(' ')}):\n${run.stderr}`);
    const g = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      trainSeconds: number;
      trainCpuSeconds: number;
      maxRssMb: number;
    };
    const gRate = (tokens * cfg.epochs) / g.trainSeconds / threads;
    const gCpuRate = (tokens * cfg.epochs) / g.trainCpuSeconds;
    const gQ = quality(loadGensimVectors(vecFile, data.nItems), stage);
    rows.push([
      'gensim',
      g.trainSeconds.toFixed(2),
      gRate.toFixed(0),
      g.trainCpuSeconds.toFixed(2),
      gCpuRate.toFixed(0),
      (100 * gQ.hr20).toFixed(2),
      (100 * gQ.mrr20).toFixed(2),
      `${g.maxRssMb.toFixed(0)} (python process)`,
    ]);
    rows.push([
      'ours/gensim',
      (oursTrain / g.trainSeconds).toFixed(2),
      (oursRate / gRate).toFixed(2),
      (oursCpu / g.trainCpuSeconds).toFixed(2),
      (oursCpuRate / gCpuRate).toFixed(2),
      (oursQ.hr20 / gQ.hr20).toFixed(3),
      (oursQ.mrr20 / gQ.mrr20).toFixed(3),
      '',
    ]);
    console.log(`gensim: ${JSON.stringify(g)}`);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c])).join('  '));
}

await main();
