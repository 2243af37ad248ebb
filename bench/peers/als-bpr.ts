/**
 * ALS and BPR side by side with implicit (PyPI 0.7.3): quality on P3 (MovieLens latest-small,
 * global temporal split, full ranking, seen items excluded) and speed/peak memory on the `full`
 * synthetic data set (2.76 M events). Both libraries train on the exact same exported events with
 * the same factors, regularisation, alpha/learning rate, iterations and threads; implicit's factors
 * are read back and scored by our evaluator, so the metrics are computed identically.
 *
 *   npx tsx bench/peers/als-bpr.ts [--python /tmp/peers-venv/bin/python] [--skip-quality] [--skip-speed]
 *       [--speed-iterations 3] [--threads 2]
 *
 * See bench/peers/README.md for the Python set-up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { generateSynthetic } from '../../src/data/synthetic/generate.js';
import { evaluate } from '../../src/evaluation/evaluator.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { buildTrainData } from '../../src/evaluation/protocols/train-data.js';
import type { Scorer } from '../../src/evaluation/types.js';
import { AlsConfigSchema, AlsRecommender } from '../../src/models/collaborative/als/als.js';
import { BprConfigSchema, BprRecommender } from '../../src/models/collaborative/bpr/bpr.js';
import type { Query, Recommender } from '../../src/models/types.js';
import { trainModel } from '../../src/training/trainer.js';
import { readFactors, writeTrainEvents } from './als-bpr-io.js';

const { values: args } = parseArgs({
  options: {
    python: { type: 'string', default: '/tmp/peers-venv/bin/python' },
    'skip-quality': { type: 'boolean', default: false },
    'skip-speed': { type: 'boolean', default: false },
    'speed-iterations': { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    /** Also time pure CG (exactMaxNnz 0) on the full set: slow, about 4× our default. */
    'pure-cg-speed': { type: 'boolean', default: false },
    /** Models timed on the full set (comma-separated). */
    'speed-models': { type: 'string', default: 'als,bpr' },
    work: { type: 'string', default: '/tmp/funnelrec-peers' },
    /** Seeds of the quality runs (mean ± sd over them). */
    seeds: { type: 'string', default: '42,43,44' },
  },
});
const THREADS = Number(args.threads);
const WORK = args.work!;
const ML = '/work/shared/data/movielens-latest-small';
const SYN = '/tmp/synthetic-full';
const SEEDS = args.seeds!.split(',').map(Number);

/** Shared hyper-parameters (implicit names in the Python call). */
const ALS = { factors: 64, regularization: 0.05, alpha: 10, iterations: 15, cgSteps: 3 };
const BPR = { factors: 64, learningRate: 0.05, regularization: 0.01, iterations: 100 };

interface RunResult {
  secondsPerIteration: number[];
  /** CPU seconds (all threads) per iteration: robust to other load on the machine. */
  cpuSecondsPerIteration: number[];
  fitSeconds: number;
  peakRssMB: number;
}

function python(
  model: 'als' | 'bpr',
  events: string,
  iterations: number,
  out?: string,
  seed = 42,
): RunResult {
  const p = model === 'als' ? ALS : BPR;
  const cli = [
    join(import.meta.dirname, 'implicit_als_bpr.py'),
    '--events',
    events,
    '--model',
    model,
    '--factors',
    String(p.factors),
    '--regularization',
    String(p.regularization),
    '--iterations',
    String(iterations),
    '--threads',
    String(THREADS),
    ...(model === 'als'
      ? ['--alpha', String(ALS.alpha), '--cg-steps', String(ALS.cgSteps)]
      : ['--learning-rate', String(BPR.learningRate)]),
    ...(out ? ['--out', out] : []),
    '--seed',
    String(seed),
  ];
  const r = spawnSync(args.python!, cli, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`implicit run failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunResult;
}

function ours(model: 'als' | 'bpr', events: string, config: object, iterations: number): RunResult {
  const r = spawnSync(
    'npx',
    [
      'tsx',
      join(import.meta.dirname, 'als-bpr-run.ts'),
      events,
      model,
      JSON.stringify(config),
      String(iterations),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (r.status !== 0) throw new Error(`funnelrec run failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunResult;
}

/** Scores u·V (+ bias column) from implicit's factors; users without a factor score 0. */
function factorScorer(name: string, dir: string, width: number, nItems: number): Scorer {
  const U = readFactors(join(dir, 'user.f32'));
  const V = readFactors(join(dir, 'item.f32'));
  const nUsers = U.length / width;
  return {
    name,
    nItems,
    scoreBatch(queries: readonly Query[], out: Float32Array): void {
      queries.forEach((q, r) => {
        for (let i = 0; i < nItems; i++) {
          let s = 0;
          if (q.user >= 0 && q.user < nUsers)
            for (let a = 0; a < width; a++) s += U[q.user * width + a] * V[i * width + a];
          out[r * nItems + i] = s;
        }
      });
    },
  };
}

const rows: string[][] = [];
const fmt = (x: number, d = 4): string => x.toFixed(d);

async function quality(): Promise<void> {
  if (!existsSync(ML)) {
    console.log(`skipping quality: ${ML} is absent`);
    return;
  }
  const prepared = prepareProtocol('p3', await loadDataset(`movielens:${ML}`));
  const stage = prepared.test;
  const dir = join(WORK, 'p3');
  writeTrainEvents(dir, stage.train.data, prepared.description);
  const evalOpts = {
    ks: [10],
    itemPopularity: stage.train.itemCount,
    itemCategory: stage.train.data.itemCategory,
  };
  const ndcg = (s: Scorer): number => evaluate(s, stage.cases, evalOpts).mean['ndcg@10'];
  console.log(
    `P3: ${prepared.description}; ${stage.cases.length} test cases, ${stage.train.data.events.length} training events`,
  );
  const variants: { label: string; model: 'als' | 'bpr'; make: () => Recommender }[] = [
    {
      label: 'ALS (CG, exact rows ≤16)',
      model: 'als',
      make: () => new AlsRecommender(AlsConfigSchema.parse({ ...ALS, threads: THREADS })),
    },
    {
      label: 'ALS (pure CG)',
      model: 'als',
      make: () => new AlsRecommender(AlsConfigSchema.parse({ ...ALS, exactMaxNnz: 0, threads: THREADS })),
    },
    {
      label: 'BPR (popularity negatives)',
      model: 'bpr',
      make: () =>
        new BprRecommender(BprConfigSchema.parse({ ...BPR, negatives: 'popularity', threads: THREADS })),
    },
    {
      label: "BPR (implicit's sampler: uniform positives, popularity negatives)",
      model: 'bpr',
      make: () =>
        new BprRecommender(
          BprConfigSchema.parse({ ...BPR, negatives: 'popularity', positives: 'uniform', threads: THREADS }),
        ),
    },
    {
      label: 'BPR (uniform negatives)',
      model: 'bpr',
      make: () =>
        new BprRecommender(BprConfigSchema.parse({ ...BPR, negatives: 'uniform', threads: THREADS })),
    },
  ];
  // Mean over seeds: 116 test users make one run's NDCG noisy.
  const meanSd = (xs: number[]): [number, number] => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return [m, Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1))];
  };
  const theirs: Record<string, [number, number]> = {};
  for (const model of ['als', 'bpr'] as const) {
    const xs = SEEDS.map((seed) => {
      const out = join(dir, `implicit-${model}`);
      python(model, dir, model === 'als' ? ALS.iterations : BPR.iterations, out, seed);
      const width = readFactors(join(out, 'item.f32')).length / stage.train.data.nItems;
      return ndcg(factorScorer(`implicit-${model}`, out, width, stage.train.data.nItems));
    });
    theirs[model] = meanSd(xs);
  }
  for (const v of variants) {
    const xs: number[] = [];
    for (const seed of SEEDS) {
      const m = v.make();
      await trainModel(m, stage.train.data, { rng: new Rng(seed) });
      xs.push(ndcg(m));
    }
    const [o, osd] = meanSd(xs);
    const [t, tsd] = theirs[v.model];
    rows.push([`P3 NDCG@10 ${v.label}`, `${fmt(o)} ± ${fmt(osd)}`, `${fmt(t)} ± ${fmt(tsd)}`, fmt(o / t, 3)]);
  }
}

async function speed(): Promise<void> {
  if (!existsSync(join(SYN, 'events.csv'))) await generateSynthetic({ scale: 'full', seed: 42, outDir: SYN });
  const dir = join(WORK, 'full');
  if (!existsSync(join(dir, 'meta.json'))) {
    const ds = await loadDataset(`synthetic:${SYN}`);
    const all = Int32Array.from({ length: ds.events.length }, (_, i) => i);
    const split = buildTrainData(ds, all, ds.events.ts[ds.events.length - 1] + 1, { splitTag: 'all events' });
    writeTrainEvents(dir, split.data, 'synthetic full seed 42, all events');
  }
  const it = Number(args['speed-iterations']);
  const avg = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const cases: { label: string; model: 'als' | 'bpr'; config: object }[] = [
    { label: 'ALS s/iteration', model: 'als' as const, config: { ...ALS, threads: THREADS } },
    {
      label: 'BPR s/epoch',
      model: 'bpr' as const,
      config: { ...BPR, negatives: 'popularity', positives: 'uniform', threads: THREADS },
    },
  ];
  if (args['pure-cg-speed']) {
    cases.splice(1, 0, {
      label: 'ALS s/iteration (pure CG)',
      model: 'als',
      config: { ...ALS, exactMaxNnz: 0, threads: THREADS },
    });
  }
  const wanted = new Set(args['speed-models']!.split(','));
  const theirs = {
    als: wanted.has('als') ? python('als', dir, it) : undefined,
    bpr: wanted.has('bpr') ? python('bpr', dir, it) : undefined,
  };
  for (const c of cases) {
    if (!wanted.has(c.model)) continue;
    const o = ours(c.model, dir, c.config, it);
    const t = theirs[c.model]!;
    const [ow, tw] = [avg(o.secondsPerIteration), avg(t.secondsPerIteration)];
    const [oc, tc] = [avg(o.cpuSecondsPerIteration), avg(t.cpuSecondsPerIteration)];
    rows.push([`full ${c.label} (wall)`, fmt(ow, 2), fmt(tw, 2), fmt(ow / tw, 2)]);
    rows.push([`full ${c.label} (CPU, all threads)`, fmt(oc, 2), fmt(tc, 2), fmt(oc / tc, 2)]);
    rows.push([
      `full ${c.label.split(' ')[0]} peak RSS MB`,
      fmt(o.peakRssMB, 0),
      fmt(t.peakRssMB, 0),
      fmt(o.peakRssMB / t.peakRssMB, 2),
    ]);
  }
}

if (!args['skip-quality']) await quality();
if (!args['skip-speed']) await speed();
const table = [['measure', 'funnelrec', 'implicit 0.7.3', 'ratio'], ...rows];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
for (const r of table)
  console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log(
  `P3 NDCG: mean ± sd over seeds ${SEEDS.join(', ')}; threads ${THREADS}; ALS ${JSON.stringify(ALS)}; BPR ${JSON.stringify(BPR)}`,
);
