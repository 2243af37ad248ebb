/**
 * One timed training run of our ALS or BPR on an exported event set, in its own process so that
 * its peak RSS is the model's (plus the events), like the Python side. Prints one JSON line.
 *
 *   npx tsx bench/peers/als-bpr-run.ts <events dir> <als|bpr> '<config json>' [epochs]
 */
import { Rng } from '../../src/core/rng.js';
import { AlsConfigSchema, AlsRecommender } from '../../src/models/collaborative/als/als.js';
import { BprConfigSchema, BprRecommender } from '../../src/models/collaborative/bpr/bpr.js';
import { trainModel } from '../../src/training/trainer.js';
import { readTrainEvents } from './als-bpr-io.js';

const [dir, model, json, epochsArg] = process.argv.slice(2);
const data = readTrainEvents(dir);
const raw = JSON.parse(json ?? '{}') as Record<string, unknown>;
const m =
  model === 'als'
    ? new AlsRecommender(AlsConfigSchema.parse(raw))
    : new BprRecommender(BprConfigSchema.parse(raw));
const epochs = epochsArg ? Number(epochsArg) : m.defaultEpochs;
// CPU time of the whole process (main + worker threads) per epoch: robust to other load on the machine.
const cpuPerEpoch: number[] = [];
let cpuMark = process.cpuUsage();
const report = await trainModel(m, data, {
  rng: new Rng(42),
  epochs,
  onProgress: (p) => {
    if (p.unit !== 'epochs') return;
    const d = process.cpuUsage(cpuMark);
    cpuPerEpoch.push((d.user + d.system) / 1e6);
    cpuMark = process.cpuUsage();
  },
});
console.log(
  JSON.stringify({
    lib: 'funnelrec',
    model,
    events: data.events.length,
    iterations: epochs,
    secondsPerIteration: report.epochs.map((e) => e.seconds),
    cpuSecondsPerIteration: cpuPerEpoch,
    loss: report.epochs.map((e) => e.loss),
    fitSeconds: report.seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
