/**
 * ANN recall and latency on the trained Two-Tower item vectors of the `full` synthetic catalogue.
 * Generates the data once (seed 42) into --dir, trains Two-Tower for --epochs of --max-examples
 * (user history → next event) examples drawn from all 2.76 M events (a full pass takes ≈ 15 min
 * per epoch on 2 busy cores; items never drawn as targets keep their random initial vectors),
 * builds the exact index and a usearch HNSW index per --ef value, and reports for --queries query
 * vectors (histories of random training users): recall@k of the ANN top-k against exact search,
 * p50/p99 query latency of both, index build time and memory (RSS delta and estimate).
 *
 * Run: npx tsx bench/retrieval/ann.ts [--dir /tmp/retrieval-syn-full] [--epochs 1] [--batch 256] [--max-examples 300000]
 *        [--history 20] [--queries 1000] [--k 100] [--ef 64,128,256,512] [--connectivity 16]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/core/rng.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { generateSynthetic } from '../../src/data/synthetic/generate.js';
import { buildTrainData } from '../../src/evaluation/protocols/train-data.js';
import { parseConfig } from '../../src/models/common/config.js';
import { ExactIndex, UsearchIndex, recallAt } from '../../src/models/retrieval/ann/index.js';
import {
  TwoTowerConfigSchema,
  TwoTowerRecommender,
  userTimelines,
} from '../../src/models/retrieval/two-tower/index.js';
import type { Query } from '../../src/models/types.js';
import { trainModel } from '../../src/training/trainer.js';

const { values: a } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/retrieval-syn-full' },
    epochs: { type: 'string', default: '1' },
    batch: { type: 'string', default: '256' },
    'max-examples': { type: 'string', default: '300000' },
    history: { type: 'string', default: '20' },
    queries: { type: 'string', default: '1000' },
    k: { type: 'string', default: '100' },
    ef: { type: 'string', default: '128,256,512' },
    connectivity: { type: 'string', default: '16' },
  },
});
const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
const pct = (xs: number[], p: number): number =>
  xs.slice().sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main(): Promise<void> {
  const dir = a.dir!;
  const meta = `${dir}/synthetic.json`;
  const ok =
    existsSync(meta) &&
    (JSON.parse(readFileSync(meta, 'utf8')) as { seed: number; scale: string }).seed === 42;
  if (!ok) {
    const t = performance.now();
    await generateSynthetic({ scale: 'full', seed: 42, outDir: dir });
    console.log(`generated full synthetic (seed 42) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  let t = performance.now();
  const ds = await loadDataset(`synthetic:${dir}`);
  const rows = Int32Array.from({ length: ds.events.length }, (_, i) => i);
  const { data } = buildTrainData(ds, rows, ds.events.ts[ds.events.length - 1] + 1, { splitTag: 'all' });
  console.log(
    `data: ${data.events.length} events, ${data.nUsers} users, ${data.nItems} items (SYNTHETIC) — loaded in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );

  const cfg = parseConfig('two-tower', TwoTowerConfigSchema, {
    batchSize: Number(a.batch),
    historyLength: Number(a.history),
    epochs: Number(a.epochs),
    maxExamplesPerEpoch: Number(a['max-examples']),
    ann: { kind: 'exact' },
  });
  const model = new TwoTowerRecommender(cfg);
  t = performance.now();
  let last = t;
  const rep = await trainModel(model, data, {
    rng: new Rng(42),
    onProgress: (e) => {
      if (performance.now() - last > 30_000) {
        last = performance.now();
        console.log(`  ${e.task} ${e.done}/${e.total} ${((last - t) / 1000).toFixed(0)} s`);
      }
    },
  });
  console.log(
    `two-tower trained: ${rep.epochs.map((e) => `epoch ${e.epoch} loss ${e.loss.toFixed(3)} ${e.seconds.toFixed(0)} s`).join('; ')}`,
  );

  const V = model.itemVectors();
  writeFileSync(`${dir}/two-tower-vectors.f32`, V);
  const d = cfg.dim;
  // Queries: the histories of random users with ≥ 1 event (whole history, as served).
  const tl = userTimelines(data);
  const rng = new Rng(7);
  const nq = Number(a.queries);
  const k = Number(a.k);
  const qv: Float32Array[] = [];
  for (let q = 0; q < nq; q++) {
    const u = rng.int(data.nUsers);
    const sel = tl.rows.subarray(tl.offsets[u], tl.offsets[u + 1]);
    const query: Query = {
      user: u,
      items: Int32Array.from(sel, (r) => data.events.item[r]),
      events: Uint8Array.from(sel, (r) => data.events.event[r]),
      ts: Float64Array.from(sel, (r) => data.events.ts[r]),
      sessionStart: 0,
      time: data.cutTime,
    };
    qv.push(model.queryVector(query));
  }
  const exact = new ExactIndex(V, d);
  const exactTop: Int32Array[] = [];
  const exactMs: number[] = [];
  for (const q of qv) {
    const s = performance.now();
    exactTop.push(exact.search(q, k).keys);
    exactMs.push(performance.now() - s);
  }
  console.log(
    `exact search: ${V.length / d} vectors × ${d}; top-${k} p50 ${pct(exactMs, 0.5).toFixed(2)} ms, p99 ${pct(exactMs, 0.99).toFixed(2)} ms`,
  );
  // One build (the graph does not depend on ef at search time); each ef loads the saved graph.
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const s = performance.now();
  const built = new UsearchIndex(V, d, { connectivity: Number(a.connectivity), expansionAdd: 128 });
  const buildS = (performance.now() - s) / 1000;
  const rss = process.memoryUsage().rss - rss0;
  const file = `${dir}/two-tower.usearch`;
  built.save(file);
  console.log(
    `usearch build M=${a.connectivity} efAdd=128: ${buildS.toFixed(1)} s (2 threads); memory RSS +${mb(rss)} MB (estimate ${mb(built.memoryBytes())} MB)`,
  );
  for (const ef of a.ef!.split(',').map(Number)) {
    const idx = UsearchIndex.load(file, d, { connectivity: Number(a.connectivity), expansionSearch: ef });
    const ms: number[] = [];
    let recall = 0;
    for (let i = 0; i < qv.length; i++) {
      const s2 = performance.now();
      const r = idx.search(qv[i], k);
      ms.push(performance.now() - s2);
      recall += recallAt(r.keys, exactTop[i]) / qv.length;
    }
    console.log(
      `usearch efSearch=${ef}: recall@${k} ${recall.toFixed(4)}; p50 ${pct(ms, 0.5).toFixed(3)} ms, p99 ${pct(ms, 0.99).toFixed(3)} ms; speed-up p50 ${(pct(exactMs, 0.5) / pct(ms, 0.5)).toFixed(0)}× over exact`,
    );
  }
}

await main();
