/**
 * {@link cgBlock} with every k-length product in WebAssembly: the block's fixed-side rows are
 * gathered once (float64, in the kernels' memory) with their coefficients, then each of the
 * s + 1 passes over a row's entries (the residual's Σ c y − Σ α w (y·x) y, then Σ α w (y·p) y per
 * step) runs in `rowsAx`/`rowsSum`, and G·p in `symv`. The CG arithmetic around them is that of
 * {@link cgBlock}; only the summation order of the row sums differs (four partial sums per dot,
 * Σ c y and Σ α w (y·x) y summed separately), so the two agree to rounding (tests check it).
 * Cost per row and step O(k² + nnz·k) as before; the gather adds one O(nnz·k) copy.
 */
import { laneStep, loadBlock, startDirections, storeBlock } from './cg.js';
import type { WasmKernels } from './wasm-kernels.js';
import type { SolveScratch, SolveSide } from './scratch.js';

/** Copies lane l of the interleaved vector V into the kernels' lane vector (and clears the accumulator). */
function laneIn(w: WasmKernels, V: Float64Array, l: number, k: number): void {
  const v = w.lane;
  for (let a = 0; a < k; a++) v[a] = V[(a << 2) + l];
  w.laneAcc.fill(0);
}

/**
 * CG on the rows `s.rows4[0 .. m)` whose entries total at most the kernels' `gatherCap`; G is the
 * scratch's loaded matrix. Writes the rows into X and returns their loss shares (as `cgBlock`).
 */
export function cgBlockWasm(
  X: Float32Array,
  Y: Float32Array,
  side: SolveSide,
  alpha: number,
  cgSteps: number,
  m: number,
  s: SolveScratch,
): number {
  const k = s.k;
  const w = s.wasm!;
  const kp = w.layout.kp;
  const { indptr, indices, data } = side;
  const { x4: x, r4: r, p4: p, ap4: ap, b4: b, sumC4: sumC, active4: active, rows4: rows } = s;
  const start = s.start4;
  const { gather, coefA, coefB, laneAcc } = w;
  // gather the rows' fixed-side vectors and coefficients α w, 1 + α w
  let e = 0;
  for (let l = 0; l < m; l++) {
    start[l] = e;
    for (let t = indptr[rows[l]]; t < indptr[rows[l] + 1]; t++, e++) {
      const yo = indices[t] * k;
      const eo = e * kp;
      for (let a = 0; a < k; a++) gather[eo + a] = Y[yo + a];
      const cm1 = alpha * data[t];
      coefA[e] = cm1;
      coefB[e] = 1 + cm1;
    }
  }
  start[m] = e;
  loadBlock(X, s, m);
  // r = b − A x = −G x + Σ_obs c y − Σ_obs α w (y·x) y;   b = Σ_obs c y
  s.symv(x, r);
  for (let t = 0; t < r.length; t++) r[t] = -r[t];
  for (let l = 0; l < m; l++) {
    const n = start[l + 1] - start[l];
    let sc = 0;
    for (let t = start[l]; t < start[l + 1]; t++) sc += coefB[t];
    sumC[l] = sc;
    laneIn(w, x, l, k);
    w.rowsSum(start[l], n);
    for (let a = 0; a < k; a++) b[(a << 2) + l] = laneAcc[a];
    laneAcc.fill(0);
    w.rowsAx(start[l], n);
    for (let a = 0; a < k; a++) r[(a << 2) + l] += b[(a << 2) + l] - laneAcc[a];
  }
  let anyActive = startDirections(s, m);
  for (let it = 0; it < cgSteps && anyActive; it++) {
    // ap = A p = G p + Σ_obs α w (y·p) y
    s.symv(p, ap);
    anyActive = false;
    for (let l = 0; l < m; l++) {
      if (!active[l]) continue;
      laneIn(w, p, l, k);
      w.rowsAx(start[l], start[l + 1] - start[l]);
      let pap = 0;
      for (let a = 0; a < k; a++) {
        const o = (a << 2) + l;
        ap[o] += laneAcc[a];
        pap += p[o] * ap[o];
      }
      if (laneStep(s, l, pap)) anyActive = true;
    }
  }
  return storeBlock(X, s, m);
}
