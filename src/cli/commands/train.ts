import type { Command } from 'commander';
import { trainAndPublish } from '../../training/publish.js';
import { formatTable, printJson, progressReporter } from '../output.js';
import { dataLabel, loadAndClean } from '../pipeline.js';
import { parseList } from './evaluate.js';

interface TrainArgs {
  dataset: string;
  models: string;
  out: string;
  seed: string;
  clean: boolean;
  onBadRow: 'fail' | 'skip';
  json?: boolean;
  progress: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train models on all events of a data set and publish versioned artifacts for serving')
    .requiredOption('-d, --dataset <spec>', 'data set as KIND:PATH')
    .option('-m, --models <list>', 'comma-separated registry names', 'popular,popular-decay,popular-category')
    .option('-o, --out <dir>', 'model registry directory', 'artifacts/models')
    .option('--seed <n>', 'random seed', '42')
    .option('--no-clean', 'skip cleaning')
    .option('--on-bad-row <policy>', 'fail or skip malformed input rows', 'fail')
    .option('--json', 'machine-readable output')
    .option('--no-progress', 'no progress bars')
    .action(async (a: TrainArgs) => {
      const progress = progressReporter(a.progress && !a.json);
      const { dataset } = await loadAndClean(a.dataset, {
        clean: a.clean,
        onBadRow: a.onBadRow,
        onProgress: progress.onProgress,
      });
      const published = await trainAndPublish({
        dataset,
        models: parseList(a.models, 'models').map((name) => ({ name })),
        root: a.out,
        seed: Number(a.seed),
        onProgress: progress.onProgress,
      });
      progress.stop();
      if (a.json) return printJson(published);
      process.stdout.write(
        `Trained on ${dataLabel(dataset)} (${dataset.events.length.toLocaleString('en-US')} events)\n`,
      );
      process.stdout.write(
        `${formatTable(
          ['model', 'version', 'seconds', 'artifact'],
          published.map((p) => [p.model, p.version, p.train.seconds.toFixed(2), p.dir]),
        )}\n`,
      );
    });
}
