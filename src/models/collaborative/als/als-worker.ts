/**
 * ALS worker thread: holds views of the shared factor matrices and strength matrices, and on
 * request adds a Gram block or solves a range of rows (see `solver.ts`). One scratch per thread.
 */
import { parentPort } from 'node:worker_threads';
import { addGramUpper } from './linalg.js';
import { SolveScratch, solveRowsCg, solveRowsCholesky, type SolveSide } from './solver.js';

export interface AlsWorkerInit {
  type: 'init';
  k: number;
  alpha: number;
  cgSteps: number;
  solver: 'cg' | 'cholesky';
  userFactors: Float32Array;
  itemFactors: Float32Array;
  byUser: SolveSide;
  byItem: SolveSide;
  /** Shared G = (other side)ᵀ(other side) + λI, written by the main thread before each solve. */
  gram: Float64Array;
}

export type AlsWorkerRequest =
  | AlsWorkerInit
  | { type: 'gram'; side: 'users' | 'items'; from: number; to: number }
  | { type: 'solve'; side: 'users' | 'items'; from: number; to: number };

let st: AlsWorkerInit | undefined;
let scratch: SolveScratch | undefined;

parentPort!.on('message', (msg: AlsWorkerRequest) => {
  if (msg.type === 'init') {
    st = msg;
    scratch = new SolveScratch(msg.k);
    parentPort!.postMessage({ ok: true });
    return;
  }
  const s = st!;
  if (msg.type === 'gram') {
    // Gram of the factors of `side` (the fixed side of the next solve).
    const F = msg.side === 'users' ? s.userFactors : s.itemFactors;
    const g = new Float64Array(s.k * s.k);
    addGramUpper(F, s.k, msg.from, msg.to, g);
    parentPort!.postMessage(g, [g.buffer]);
    return;
  }
  const users = msg.side === 'users';
  const X = users ? s.userFactors : s.itemFactors;
  const Y = users ? s.itemFactors : s.userFactors;
  const side = users ? s.byUser : s.byItem;
  const loss =
    s.solver === 'cg'
      ? solveRowsCg(X, Y, s.gram, side, s.alpha, s.cgSteps, msg.from, msg.to, scratch!)
      : solveRowsCholesky(X, Y, s.gram, side, s.alpha, msg.from, msg.to, scratch!);
  parentPort!.postMessage({ loss });
});
