/**
 * Worker thread of {@link topKProduct}: takes chunks of rows from a shared counter until none are
 * left, writes their top-K entries into the shared output, then replies `done`.
 */
import { parentPort } from 'node:worker_threads';
import type { Csr } from '../../common/csr.js';
import { productScratch, topKProductRows, type ProductOptions, type TopKRows } from './similarity.js';

export interface ProductTask {
  a: Csr;
  b: Csr;
  out: TopKRows;
  opts: ProductOptions;
  /** Shared row counter (Atomics.add hands out chunks). */
  counter: Int32Array;
  chunk: number;
}

/** Runs chunks of `task` until the shared counter passes the last row. */
export function runProductTask(task: ProductTask): void {
  const s = productScratch(task.b.nCols, task.out.k);
  for (;;) {
    const start = Atomics.add(task.counter, 0, task.chunk);
    if (start >= task.a.nRows) return;
    topKProductRows(
      task.a,
      task.b,
      task.out,
      start,
      Math.min(task.a.nRows, start + task.chunk),
      task.opts,
      s,
    );
  }
}

parentPort?.on('message', (task: ProductTask | 'exit') => {
  if (task === 'exit') {
    parentPort?.close();
    return;
  }
  runProductTask(task);
  parentPort?.postMessage('done');
});
