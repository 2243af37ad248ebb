/**
 * Writes the synthetic data set for the benchmark (outside the repo).
 *   npx tsx bench/pipeline/generate.ts [--out /tmp/synthetic-full] [--scale full] [--seed 42]
 */
import { parseArgs } from 'node:util';
import { generateSynthetic } from '../../src/data/synthetic/generate.js';
import type { SyntheticScale } from '../../src/data/synthetic/scales.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/synthetic-full' },
    scale: { type: 'string', default: 'full' },
    seed: { type: 'string', default: '42' },
  },
});
const t0 = performance.now();
const s = await generateSynthetic({
  scale: values.scale as SyntheticScale,
  seed: Number(values.seed),
  outDir: values.out!,
});
console.log(
  `wrote ${s.counts.events} events (${s.counts.visitors} visitors) to ${s.outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
