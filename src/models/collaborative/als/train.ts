/**
 * ALS training engine: alternates user and item half-steps over shared factor matrices. Each
 * half-step computes G = YᵀY + λI once (Gram blocks split over the threads), then the threads
 * solve disjoint row ranges balanced by cost (k + 2·nnz per row). Every row's solve depends only
 * on the fixed side and G, so runs are bitwise reproducible for a given thread count (across thread
 * counts only the summation order of G's blocks differs).
 *
 * Memory: factors (nUsers + nItems)·k floats, the strength matrix in both orientations
 * (2·(nnz·8 + rows·4) bytes), k² doubles per thread.
 */
import type { Worker } from 'node:worker_threads';
import { request, sharedFloat32, startWorker } from '../../../core/workers.js';
import { csrNnz, type Csr } from '../../common/csr.js';
import { addGramUpper, finishGram } from './linalg.js';
import { SolveScratch, solveRowsCg, solveRowsCholesky } from './solver.js';
import type { AlsWorkerRequest } from './als-worker.js';

/** Below this many interactions training stays on the calling thread (workers cost more than they save). */
export const ALS_PARALLEL_MIN_NNZ = 20_000;

export interface AlsTrainParams {
  k: number;
  alpha: number;
  regularization: number;
  cgSteps: number;
  solver: 'cg' | 'cholesky';
  threads: number;
}

/** Factor matrices and strength matrix (SharedArrayBuffer-backed when threads are used). */
export interface AlsTrainState {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  byUser: Csr;
  byItem: Csr;
}

/** Splits rows [0, n) into `parts` contiguous ranges of about equal cost k + 2·nnz(row). */
export function costRanges(indptr: Int32Array, n: number, k: number, parts: number): number[] {
  const total = n * k + 2 * indptr[n];
  const bounds = [0];
  let acc = 0;
  let next = total / parts;
  for (let r = 0; r < n && bounds.length < parts; r++) {
    acc += k + 2 * (indptr[r + 1] - indptr[r]);
    if (acc >= next) {
      bounds.push(r + 1);
      next = (total * bounds.length) / parts;
    }
  }
  while (bounds.length < parts) bounds.push(n);
  bounds.push(n);
  return bounds;
}

export class AlsEngine {
  private readonly gramBuf: Float64Array;
  private readonly scratch: SolveScratch;
  private workers: Worker[] = [];
  private ready: Promise<unknown> | undefined;
  private readonly totalWeight: number;

  constructor(
    readonly state: AlsTrainState,
    readonly p: AlsTrainParams,
  ) {
    const useWorkers = p.threads > 1 && csrNnz(state.byUser) >= ALS_PARALLEL_MIN_NNZ;
    this.gramBuf = useWorkers ? new Float64Array(new SharedArrayBuffer(p.k * p.k * 8)) : new Float64Array(p.k * p.k);
    this.scratch = new SolveScratch(p.k);
    let sumC = 0;
    const d = state.byUser.data;
    for (let t = 0; t < d.length; t++) sumC += 1 + p.alpha * d[t];
    const nnz = csrNnz(state.byUser);
    this.totalWeight = sumC + state.byUser.nRows * state.byUser.nCols - nnz;
    if (useWorkers) {
      const init: AlsWorkerRequest = {
        type: 'init',
        k: p.k,
        alpha: p.alpha,
        cgSteps: p.cgSteps,
        solver: p.solver,
        userFactors: state.userFactors,
        itemFactors: state.itemFactors,
        byUser: state.byUser,
        byItem: state.byItem,
        gram: this.gramBuf,
      };
      for (let w = 0; w < p.threads; w++) this.workers.push(startWorker(new URL('./als-worker.js', import.meta.url)));
      this.ready = Promise.all(this.workers.map((w) => request(w, init)));
    }
  }

  /** Runs one user half-step and one item half-step; returns the normalised training loss. */
  async epoch(): Promise<{ loss: number }> {
    await this.ready;
    await this.halfStep('users');
    const itemLoss = await this.halfStep('items');
    const X = this.state.userFactors;
    let xx = 0;
    for (let t = 0; t < X.length; t++) xx += X[t] * X[t];
    return { loss: (itemLoss + this.p.regularization * xx) / this.totalWeight };
  }

  /** Solves every row of `side` with the other side fixed; returns Σ of the rows' loss shares. */
  async halfStep(side: 'users' | 'items'): Promise<number> {
    const { k } = this.p;
    const users = side === 'users';
    const X = users ? this.state.userFactors : this.state.itemFactors;
    const Y = users ? this.state.itemFactors : this.state.userFactors;
    const csr = users ? this.state.byUser : this.state.byItem;
    const nY = Y.length / k;
    const g = this.gramBuf;
    g.fill(0);
    if (this.workers.length === 0) {
      addGramUpper(Y, k, 0, nY, g);
      finishGram(g, k, this.p.regularization);
      return this.p.solver === 'cg'
        ? solveRowsCg(X, Y, g, csr, this.p.alpha, this.p.cgSteps, 0, csr.nRows, this.scratch)
        : solveRowsCholesky(X, Y, g, csr, this.p.alpha, 0, csr.nRows, this.scratch);
    }
    const n = this.workers.length;
    const other = users ? 'items' : 'users';
    const parts = await Promise.all(
      this.workers.map((w, i) =>
        request<Float64Array>(w, { type: 'gram', side: other, from: Math.floor((nY * i) / n), to: Math.floor((nY * (i + 1)) / n) }),
      ),
    );
    for (const part of parts) for (let t = 0; t < g.length; t++) g[t] += part[t];
    finishGram(g, k, this.p.regularization);
    const bounds = costRanges(csr.indptr, csr.nRows, k, n);
    const losses = await Promise.all(
      this.workers.map((w, i) => request<{ loss: number }>(w, { type: 'solve', side, from: bounds[i], to: bounds[i + 1] })),
    );
    return losses.reduce((s, l) => s + l.loss, 0);
  }

  /** Stops the worker threads. */
  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }
}

/** Factor matrix of n rows × k, uniform in [0, 0.01) like implicit (shared when `shared`). */
export function initFactors(n: number, k: number, next: () => number, shared: boolean): Float32Array {
  const f = shared ? sharedFloat32(n * k) : new Float32Array(n * k);
  for (let t = 0; t < f.length; t++) f[t] = next() * 0.01;
  return f;
}
