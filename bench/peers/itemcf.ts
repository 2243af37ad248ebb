/**
 * Item-CF fit time against implicit's CosineRecommender on the `full` synthetic data set: the same
 * user × item matrix (P1 training events before the cut, event weights 1/3/5, duplicates summed),
 * the same K (neighbours per item) and the same number of threads. Prints seconds, the ratio
 * ours / implicit (target ≤ 2) and peak RSS of each process, plus agreement of the two top-K lists.
 *
 * Run (Python venv: bench/peers/README.md):
 *   npx tsx bench/peers/itemcf.ts --python /tmp/itemcf-venv/bin/python
 * Options: --dir /tmp/itemcf-bench (synthetic data + matrix exchange), --k 100, --threads 2,
 *   --repeats 2, --skip-implicit.
 * Our times: "kernel" = weighting + sparse top-K product from the CSR (what implicit's fit does);
 * "fit" = ItemCfRecommender.fit from the events (matrix build included, co-occurrence off).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { generateSynthetic } from '../../src/data/synthetic/generate.js';
import { prepareProtocol } from '../../src/evaluation/protocols/index.js';
import { ItemCfConfigSchema, ItemCfRecommender } from '../../src/models/collaborative/itemcf/itemcf.js';
import { topKProduct } from '../../src/models/collaborative/itemcf/knn.js';
import { weightItemUsers } from '../../src/models/collaborative/itemcf/similarity.js';
import {
  dropZeroEntries,
  interactionMatrix as interactionPair,
  transposeCsr,
  type InteractionOptions,
} from '../../src/models/common/csr.js';
import type { TrainData } from '../../src/models/types.js';

/** Item-CF's user × item matrix, as the model builds it. */
function interactionMatrix(data: TrainData, opts: InteractionOptions) {
  return dropZeroEntries(interactionPair(data, opts).byRow);
}

const { values: a } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/itemcf-bench' },
    k: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '2' },
    python: { type: 'string', default: 'python3' },
    'skip-implicit': { type: 'boolean', default: false },
  },
});
const K = Number(a.k);
const threads = Number(a.threads);
const bytes = (x: Int32Array | Float32Array): Uint8Array =>
  new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
const rssMB = (): number => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const synDir = join(a.dir!, 'syn-full');
  if (!existsSync(join(synDir, 'synthetic.json'))) {
    console.log(`generating the full synthetic set into ${synDir} …`);
    await generateSynthetic({ scale: 'full', seed: 42, outDir: synDir });
  }
  const ds = await loadDataset(`synthetic:${synDir}`);
  const data = prepareProtocol('p1', ds).test.train.data;
  const weights = { eventWeights: { view: 1, addtocart: 3, transaction: 5 }, halfLifeDays: null };
  const ui = interactionMatrix(data, weights);
  const matDir = join(a.dir!, 'matrix');
  mkdirSync(matDir, { recursive: true });
  writeFileSync(
    join(matDir, 'meta.json'),
    JSON.stringify({ nUsers: ui.nRows, nItems: ui.nCols, nnz: ui.indices.length }),
  );
  writeFileSync(join(matDir, 'indptr.i32'), bytes(ui.indptr));
  writeFileSync(join(matDir, 'indices.i32'), bytes(ui.indices));
  writeFileSync(join(matDir, 'data.f32'), bytes(ui.data));
  console.log(
    `matrix: ${ui.nRows} users × ${ui.nCols} items, ${ui.indices.length} non-zeros (${data.events.length} training events); K = ${K}, threads = ${threads}`,
  );
  console.log(`peak RSS after loading data: ${rssMB().toFixed(0)} MB`);

  const best = async (f: () => Promise<void>): Promise<number> => {
    let b = Infinity;
    for (let r = 0; r < Number(a.repeats); r++) {
      const t = performance.now();
      await f();
      b = Math.min(b, (performance.now() - t) / 1000);
    }
    return b;
  };
  const kernel = async (th: number): Promise<void> => {
    const x = weightItemUsers(transposeCsr(ui), { kind: 'cosine', k1: 1.2, b: 0.75 });
    await topKProduct(x, transposeCsr(x), K, { excludeSelf: false, minValue: 0, threads: th });
  };
  const ours: Record<string, number> = {};
  ours['kernel, 1 thread'] = await best(() => kernel(1));
  ours[`kernel, ${threads} threads`] = await best(() => kernel(threads));
  ours[`fit, ${threads} threads`] = await best(async () => {
    const m = new ItemCfRecommender(ItemCfConfigSchema.parse({ neighbours: K, coTopK: 0, threads }));
    await m.fit(data, { rng: new Rng(1) });
  });
  const withCo = new ItemCfRecommender(ItemCfConfigSchema.parse({ neighbours: K, threads }));
  let t = performance.now();
  await withCo.fit(data, { rng: new Rng(1) });
  ours[`fit + co-purchase/co-view, ${threads} threads`] = (performance.now() - t) / 1000;
  const ourPeak = rssMB();
  for (const [k, v] of Object.entries(ours)) console.log(`ours   ${k.padEnd(40)} ${v.toFixed(2)} s`);
  console.log(`ours   peak RSS (whole process, data loading included): ${ourPeak.toFixed(0)} MB`);

  if (a['skip-implicit']) return;
  t = performance.now();
  const py = spawnSync(
    a.python!,
    [
      join(import.meta.dirname, 'implicit_itemcf.py'),
      '--dir',
      matDir,
      '--k',
      String(K),
      '--threads',
      String(threads),
      '--repeats',
      a.repeats!,
    ],
    { encoding: 'utf8' },
  );
  if (py.status !== 0) throw new Error(`implicit run failed: ${py.stderr}`);
  const res = JSON.parse(py.stdout.trim().split('\n').pop()!) as {
    fitSeconds: number;
    peakRssMB: number;
    simNnz: number;
  };
  console.log(
    `implicit CosineRecommender fit, ${threads} threads         ${res.fitSeconds.toFixed(2)} s  (peak RSS ${res.peakRssMB.toFixed(0)} MB, similarity nnz ${res.simNnz})`,
  );
  const ourKernel = ours[`kernel, ${threads} threads`];
  const ourFit = ours[`fit, ${threads} threads`];
  console.log(
    `ratio ours/implicit: kernel ${(ourKernel / res.fitSeconds).toFixed(2)}×, fit from events ${(ourFit / res.fitSeconds).toFixed(2)}× (target ≤ 2×)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
