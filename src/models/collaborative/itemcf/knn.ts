/**
 * Parallel driver of the top-K sparse product: splits the rows of A·B over worker threads that
 * share A, B and the output through SharedArrayBuffer (chunks handed out by an atomic counter, so
 * heavy rows do not stall one thread). Small products run in the calling thread: starting a worker
 * from TypeScript sources costs ~0.3 s, more than the whole product below ~`minParallelWork`.
 */
import { request, startWorker } from '../../../core/workers.js';
import { shareCsr, type Csr } from '../../common/csr.js';
import { runProductTask, type ProductTask } from './product-worker.js';
import { allocTopK, type ProductOptions, type TopKRows } from './similarity.js';

export interface TopKProductOptions extends ProductOptions {
  /** Worker threads; 1 = run in the calling thread. */
  threads: number;
  /** Estimated multiply-adds below which the product stays single-threaded. */
  minParallelWork?: number;
}

/** Multiply-adds of A·B: Σ over entries (r, m) of A of |row m of B|. */
export function productWork(a: Csr, b: Csr): number {
  let w = 0;
  for (let p = 0; p < a.indices.length; p++) w += b.indptr[a.indices[p] + 1] - b.indptr[a.indices[p]];
  return w;
}

/** Top-K entries of every row of A·B (see `topKProductRows`), over `threads` threads. */
export async function topKProduct(a: Csr, b: Csr, k: number, opts: TopKProductOptions): Promise<TopKRows> {
  const threads = Math.max(1, Math.floor(opts.threads));
  const parallel = threads > 1 && productWork(a, b) >= (opts.minParallelWork ?? 20_000_000);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const chunk = Math.max(16, Math.min(1024, Math.ceil(a.nRows / (threads * 64))));
  const product: ProductOptions = { excludeSelf: opts.excludeSelf, minValue: opts.minValue };
  if (!parallel) {
    const out = allocTopK(a.nRows, k);
    runProductTask({ a, b, out, opts: product, counter, chunk });
    return out;
  }
  const task: ProductTask = {
    a: shareCsr(a),
    b: shareCsr(b),
    out: allocTopK(a.nRows, k, true),
    opts: product,
    counter,
    chunk,
  };
  const workers = Array.from({ length: threads }, () =>
    startWorker(new URL('./product-worker.js', import.meta.url)),
  );
  try {
    await Promise.all(workers.map((w) => request<string>(w, task)));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return task.out;
}
