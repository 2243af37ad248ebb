/** BPR Hogwild worker: receives the shared state once, then runs epoch shares on request. */
import { parentPort } from 'node:worker_threads';
import { bprEpochRange, type BprShared } from './kernel.js';

let st: BprShared | undefined;

parentPort!.on(
  'message',
  (msg: { type: 'init'; state: BprShared } | { type: 'epoch'; seed: number; n: number; lr: number }) => {
    if (msg.type === 'init') {
      st = msg.state;
      parentPort!.postMessage(0);
      return;
    }
    parentPort!.postMessage(bprEpochRange(st!, msg.seed, msg.n, msg.lr));
  },
);
