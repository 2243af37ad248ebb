import type { Command } from 'commander';
import { join } from 'node:path';
import { generateSynthetic } from '../../data/synthetic/generate.js';
import { listModels } from '../../models/registry.js';
import { trainAndPublish } from '../../training/publish.js';
import { progressReporter } from '../output.js';
import { loadAndClean, mainJobData } from '../pipeline.js';
import { evaluateCommand } from './evaluate.js';

/**
 * Models the main job trains: the baselines first (Popular is the reference of the significance
 * columns), the components of the hybrid, and the hybrid. Other registered models (usercf, bpr,
 * hybrid-static, the neural models) are one `funnelrec evaluate --models …` away.
 */
export const DEMO_MODELS = [
  'popular',
  'popular-decay',
  'popular-category',
  'random',
  'itemcf',
  'sknn',
  'als',
  'item2vec',
  'hybrid',
];

interface DemoArgs {
  dataDir: string;
  /** Where evaluation artifacts, published models (`<dir>/models`) go. */
  artifacts: string;
  runs: string;
  scale: 'tiny' | 'small' | 'full';
  seed: string;
  progress: boolean;
}

/**
 * The main job on embedded defaults: real RetailRocket files when the user placed them in
 * data/raw/retailrocket/, otherwise a generated synthetic set; then evaluate every registered model
 * on P1 and publish models trained on all the data for serving.
 */
export async function runDemo(a: DemoArgs, out: (s: string) => void): Promise<void> {
  const { real, synthetic: dir, hasReal, hasSynthetic } = mainJobData(a.dataDir, a.scale, a.seed);
  let spec: string;
  if (hasReal) {
    spec = `retailrocket:${real}`;
    out(`Using the real RetailRocket files in ${real}\n`);
  } else {
    if (!hasSynthetic) {
      out(
        `No real data in ${real} (see "funnelrec data download"); generating the ${a.scale} SYNTHETIC data set into ${dir}\n`,
      );
      const progress = progressReporter(a.progress);
      await generateSynthetic({
        scale: a.scale,
        seed: Number(a.seed),
        outDir: dir,
        onProgress: progress.onProgress,
      });
      progress.stop();
    } else {
      out(`Using the SYNTHETIC data set already generated in ${dir}\n`);
    }
    spec = `synthetic:${dir}`;
  }
  const registered = new Set(listModels().map((m) => m.name));
  const models = DEMO_MODELS.filter((m) => registered.has(m));
  const loaded = await loadAndClean(spec, { clean: true });
  const { dataset } = loaded;
  const { text, runFile } = await evaluateCommand(
    {
      dataset: spec,
      protocol: 'p1',
      models: models.join(','),
      k: '10,20',
      seed: a.seed,
      stage: 'test',
      artifacts: join(a.artifacts, 'eval'),
      runs: a.runs,
      clean: true,
      onBadRow: 'fail',
      progress: a.progress,
    },
    loaded,
  );
  out(`${text}\nrun record: ${runFile}\n\n`);
  const progress = progressReporter(a.progress);
  const published = await trainAndPublish({
    dataset,
    models: models.map((name) => ({ name })),
    root: join(a.artifacts, 'models'),
    seed: Number(a.seed),
    onProgress: progress.onProgress,
  });
  progress.stop();
  out(
    `Published ${published.length} models trained on all ${dataset.events.length.toLocaleString('en-US')} events to ${join(a.artifacts, 'models')} (version ${published[0]?.version}).\n`,
  );
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'The main job: get data (real if present, else synthetic), evaluate every model on P1, publish trained models',
    )
    .option('--data-dir <dir>', 'data directory', 'data')
    .option('--artifacts <dir>', 'artifacts directory (evaluation cache and published models)', 'artifacts')
    .option('--runs <dir>', 'run records directory', 'runs')
    .option('--scale <scale>', 'synthetic scale when no real data: tiny, small or full', 'small')
    .option('--seed <n>', 'random seed', '42')
    .option('--no-progress', 'no progress bars')
    .action(async (a: DemoArgs) => {
      await runDemo(a, (s) => process.stdout.write(s));
    });
}
