/** Shared bench set-up: the data set a bench runs on when none is named. */
import { existsSync } from 'node:fs';
import { generateSynthetic } from '../src/data/synthetic/generate.js';

/**
 * `spec` when given; otherwise the `small` SYNTHETIC set (seed 42), generated once into /tmp.
 */
export async function benchDatasetSpec(spec?: string): Promise<string> {
  if (spec) return spec;
  const dir = '/tmp/funnelrec-bench/synthetic-small-42';
  if (!existsSync(`${dir}/synthetic.json`))
    await generateSynthetic({ scale: 'small', seed: 42, outDir: dir });
  return `synthetic:${dir}`;
}
