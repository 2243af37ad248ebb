/**
 * ALS training engine: alternates user and item half-steps over shared factor matrices. Each
 * half-step computes G = YᵀY + λI once (Gram blocks split over the threads); when short rows are
 * solved exactly it factors G and, if the fixed side has fewer rows than the solved side, whitens
 * it once (W = Y G⁻¹, split over the threads); then the threads solve disjoint row ranges balanced
 * by cost. Every row's solve depends only on the fixed side, G and W, so runs are bitwise
 * reproducible for a given thread count (across thread counts only the summation order of G's
 * blocks differs).
 *
 * Memory: factors (nUsers + nItems)·k floats, W min(nUsers, nItems)·k floats, the strength matrix
 * in both orientations (2·(nnz·8 + rows·4) bytes), O(k² + maxNnz·k) doubles per thread, plus each
 * thread's WebAssembly kernel memory (2·k² doubles + an 8 MB gather area; `wasm-kernels.ts`).
 */
import type { Worker } from 'node:worker_threads';
import { request, sharedFloat32, startWorker } from '../../../core/workers.js';
import { csrNnz, type Csr } from '../../common/csr.js';
import { choleskyInPlace, finishGram, inverseFromCholesky } from './linalg.js';
import { SolveScratch } from './solver.js';
import { runAlsTask, type AlsShared, type AlsTask, type Side } from './tasks.js';

/** Below this many interactions training stays on the calling thread (workers cost more than they save). */
export const ALS_PARALLEL_MIN_NNZ = 20_000;

export interface AlsTrainParams {
  k: number;
  alpha: number;
  regularization: number;
  cgSteps: number;
  solver: 'cg' | 'cholesky';
  exactMaxNnz: number;
  threads: number;
}

/** Factor matrices and strength matrix (SharedArrayBuffer-backed when threads are used). */
export interface AlsTrainState {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  byUser: Csr;
  byItem: Csr;
}

/**
 * Splits rows [0, n) into `parts` contiguous ranges of about equal cost, in units of k
 * multiply-adds: exact short rows ≈ n²/2 + 2n + 1, CG rows ≈ (s + 1)(k + 2n).
 */
export function costRanges(
  indptr: Int32Array,
  n: number,
  k: number,
  cgSteps: number,
  maxLow: number,
  parts: number,
): number[] {
  const cost = (r: number): number => {
    const m = indptr[r + 1] - indptr[r];
    return m <= maxLow ? (m * m) / 2 + 2 * m + 1 : (cgSteps + 1) * (k + 2 * m);
  };
  let total = 0;
  for (let r = 0; r < n; r++) total += cost(r);
  const bounds = [0];
  let acc = 0;
  for (let r = 0; r < n && bounds.length < parts; r++) {
    acc += cost(r);
    if (acc >= (total * bounds.length) / parts) bounds.push(r + 1);
  }
  while (bounds.length < parts) bounds.push(n);
  bounds.push(n);
  return bounds;
}

export class AlsEngine {
  private readonly st: AlsShared;
  private readonly scratch: SolveScratch;
  private workers: Worker[] = [];
  private ready: Promise<unknown> | undefined;
  private readonly totalWeight: number;

  constructor(
    readonly state: AlsTrainState,
    readonly p: AlsTrainParams,
  ) {
    const useWorkers = p.threads > 1 && csrNnz(state.byUser) >= ALS_PARALLEL_MIN_NNZ;
    const f64 = (n: number): Float64Array =>
      useWorkers ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
    const k = p.k;
    const exact = p.solver === 'cg' ? p.exactMaxNnz : 0;
    const nW = exact > 0 ? Math.min(state.byUser.nRows, state.byItem.nRows) * k : 0;
    this.st = {
      k,
      alpha: p.alpha,
      cgSteps: p.cgSteps,
      solver: p.solver,
      userFactors: state.userFactors,
      itemFactors: state.itemFactors,
      byUser: state.byUser,
      byItem: state.byItem,
      gram: f64(k * k),
      gramInv: f64(k * k),
      whitened: useWorkers ? sharedFloat32(nW) : new Float32Array(nW),
      exactMaxNnz: exact,
    };
    this.scratch = new SolveScratch(k, exact);
    let sumC = 0;
    const d = state.byUser.data;
    for (let t = 0; t < d.length; t++) sumC += 1 + p.alpha * d[t];
    this.totalWeight = sumC + state.byUser.nRows * state.byUser.nCols - d.length;
    if (useWorkers) {
      for (let w = 0; w < p.threads; w++)
        this.workers.push(startWorker(new URL('./als-worker.js', import.meta.url)));
      this.ready = Promise.all(this.workers.map((w) => request(w, { type: 'init', state: this.st })));
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

  /** Runs `tasks(part)` for each thread's part (or inline for part 0 only); returns the results. */
  private async spread<T extends Float64Array | number>(
    make: (part: number, parts: number) => AlsTask,
  ): Promise<T[]> {
    if (this.workers.length === 0) return [runAlsTask(this.st, this.scratch, make(0, 1)) as T];
    const n = this.workers.length;
    return Promise.all(this.workers.map((w, i) => request<T>(w, make(i, n))));
  }

  /** Solves every row of `side` with the other side fixed; returns Σ of the rows' loss shares. */
  async halfStep(side: Side): Promise<number> {
    const { k } = this.p;
    const st = this.st;
    const other: Side = side === 'users' ? 'items' : 'users';
    const csr = side === 'users' ? this.state.byUser : this.state.byItem;
    const nY = (side === 'users' ? st.itemFactors : st.userFactors).length / k;
    const even = (i: number, n: number): { from: number; to: number } => ({
      from: Math.floor((nY * i) / n),
      to: Math.floor((nY * (i + 1)) / n),
    });
    const blocks = await this.spread<Float64Array>((i, n) => ({ type: 'gram', side: other, ...even(i, n) }));
    const g = st.gram;
    g.fill(0);
    for (const b of blocks) for (let t = 0; t < g.length; t++) g[t] += b[t];
    finishGram(g, k, this.p.regularization);
    let lowRank: 'none' | 'whitened' | 'on-the-fly' = 'none';
    let maxLow = -1;
    if (st.exactMaxNnz > 0) {
      const L = g.slice();
      choleskyInPlace(L, k);
      inverseFromCholesky(L, k, st.gramInv);
      if (nY <= csr.nRows) {
        await this.spread((i, n) => ({ type: 'whiten', side: other, ...even(i, n) }));
        lowRank = 'whitened';
        maxLow = st.exactMaxNnz;
      } else {
        lowRank = 'on-the-fly';
        maxLow = Math.min(st.exactMaxNnz, st.cgSteps);
      }
    }
    const bounds = costRanges(
      csr.indptr,
      csr.nRows,
      k,
      this.p.cgSteps,
      maxLow,
      Math.max(1, this.workers.length),
    );
    const losses = await this.spread<number>((i) => ({
      type: 'solve',
      side,
      from: bounds[i],
      to: bounds[i + 1],
      lowRank,
    }));
    return losses.reduce((s, l) => s + l, 0);
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
