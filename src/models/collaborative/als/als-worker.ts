/**
 * ALS worker thread: receives the shared state once, then runs tasks (`tasks.ts`) on request.
 */
import { parentPort } from 'node:worker_threads';
import { SolveScratch } from './solver.js';
import { runAlsTask, type AlsShared, type AlsTask } from './tasks.js';

let st: AlsShared | undefined;
let scratch: SolveScratch | undefined;

parentPort!.on('message', (msg: { type: 'init'; state: AlsShared } | AlsTask) => {
  if (msg.type === 'init') {
    st = msg.state;
    scratch = new SolveScratch(st.k, st.exactMaxNnz);
    parentPort!.postMessage(0);
    return;
  }
  const out = runAlsTask(st!, scratch!, msg);
  if (out instanceof Float64Array) parentPort!.postMessage(out, [out.buffer as ArrayBuffer]);
  else parentPort!.postMessage(out);
});
