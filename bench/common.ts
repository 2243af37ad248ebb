/** Shared bench set-up: the data set a bench runs on when none is named; one-query latency. */
import { existsSync } from 'node:fs';
import { generateSynthetic } from '../src/data/synthetic/generate.js';
import type { EvalCase } from '../src/evaluation/types.js';
import type { Recommender } from '../src/models/types.js';

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

/**
 * Time to score one query against the whole catalogue: p50/p99 ms over `n` queries spread over
 * `cases` (every 7,919th, wrapping).
 */
export function queryLatency(
  model: Recommender,
  cases: readonly EvalCase[],
  n: number,
): { p50: number; p99: number } {
  const out = new Float32Array(model.nItems);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const q = cases[(i * 7919) % cases.length].query;
    const t = performance.now();
    model.scoreBatch([q], out);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}
