/**
 * The units of ALS work a thread runs on shared state: a Gram block, whitening a block of factor
 * rows (W = Y G⁻¹) and solving a range of rows. The worker threads and the single-threaded path
 * run exactly this code.
 */
import { SolveScratch, solveRowsCg, solveRowsCholesky, type SolveSide } from './solver.js';

export type Side = 'users' | 'items';

/** State shared by all threads (SharedArrayBuffer-backed when workers are used). */
export interface AlsShared {
  k: number;
  alpha: number;
  cgSteps: number;
  solver: 'cg' | 'cholesky';
  userFactors: Float32Array;
  itemFactors: Float32Array;
  byUser: SolveSide;
  byItem: SolveSide;
  /** G = (fixed side)ᵀ(fixed side) + λI of the current half-step. */
  gram: Float64Array;
  /** G⁻¹ (full), for the exact short-row solves. */
  gramInv: Float64Array;
  /** Whitened fixed-side rows Y G⁻¹ (first nY·k entries), when precomputed. */
  whitened: Float32Array;
  /** Largest row solved exactly (0 = pure CG). */
  exactMaxNnz: number;
}

export type AlsTask =
  | { type: 'gram'; side: Side; from: number; to: number }
  | { type: 'whiten'; side: Side; from: number; to: number }
  | { type: 'solve'; side: Side; from: number; to: number; lowRank: 'none' | 'whitened' | 'on-the-fly' };

export function factorsOf(st: AlsShared, side: Side): Float32Array {
  return side === 'users' ? st.userFactors : st.itemFactors;
}

/** Runs one task; returns a Gram block (Float64Array) or the rows' loss share. */
export function runAlsTask(st: AlsShared, scratch: SolveScratch, t: AlsTask): Float64Array | number {
  const k = st.k;
  if (t.type === 'gram') {
    const g = new Float64Array(k * k);
    scratch.addGramUpper(factorsOf(st, t.side), t.from, t.to, g);
    return g;
  }
  if (t.type === 'whiten') {
    // W rows = G⁻¹ y, four rows per pass over G⁻¹
    const F = factorsOf(st, t.side);
    const { x4, ap4 } = scratch;
    scratch.loadMatrix(st.gramInv);
    for (let r0 = t.from; r0 < t.to; r0 += 4) {
      const m = Math.min(4, t.to - r0);
      x4.fill(0);
      for (let l = 0; l < m; l++) for (let a = 0; a < k; a++) x4[(a << 2) + l] = F[(r0 + l) * k + a];
      scratch.symv(x4, ap4);
      for (let l = 0; l < m; l++)
        for (let a = 0; a < k; a++) st.whitened[(r0 + l) * k + a] = ap4[(a << 2) + l];
    }
    return 0;
  }
  const users = t.side === 'users';
  const X = users ? st.userFactors : st.itemFactors;
  const Y = users ? st.itemFactors : st.userFactors;
  const side = users ? st.byUser : st.byItem;
  if (st.solver === 'cholesky')
    return solveRowsCholesky(X, Y, st.gram, side, st.alpha, t.from, t.to, scratch);
  const lowRank =
    t.lowRank === 'none'
      ? null
      : {
          W: t.lowRank === 'whitened' ? st.whitened : null,
          Ginv: st.gramInv,
          maxNnz: t.lowRank === 'whitened' ? st.exactMaxNnz : Math.min(st.exactMaxNnz, st.cgSteps),
        };
  return solveRowsCg(X, Y, st.gram, side, st.alpha, st.cgSteps, t.from, t.to, scratch, lowRank);
}
