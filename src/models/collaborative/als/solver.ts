/**
 * The ALS half-step kernels (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit
 * Feedback Datasets"; CG variant of Takács, Pilászy & Tikk 2011, as in implicit's
 * `least_squares_cg`).
 *
 * For one row u (a user when solving users, an item when solving items) with interaction strengths
 * w_ui on its observed columns i, confidence c_ui = 1 + α·w_ui, preference p_ui = 1 (0 elsewhere):
 *
 *   x_u = argmin Σ_i c_ui (p_ui − x_u·y_i)² + λ‖x_u‖²
 *       = (G + Σ_obs α w_ui y_i y_iᵀ)⁻¹ Σ_obs c_ui y_i,     G = YᵀY + λI  (k × k, once per half)
 *
 * `solveRowsCg` runs `cgSteps` conjugate-gradient steps warm-started from the current x_u without
 * forming the k × k matrix: A·p = G·p + Σ_obs α w_ui (y_i·p) y_i. Cost per row and step
 * O(k² + nnz_u·k); memory O(k) scratch. `solveRowsCholesky` forms A and solves exactly
 * (O(nnz_u·k² + k³) per row): the reference the CG must agree with.
 *
 * Both return the rows' share of the training loss (see {@link rowLoss}).
 */
import { cgBlock } from './cg.js';
import { cgBlockWasm } from './cg-wasm.js';
import { choleskyInPlace, choleskySolveInPlace } from './linalg.js';
import type { SolveScratch, SolveSide } from './scratch.js';

export { SolveScratch, type SolveSide } from './scratch.js';

/**
 * Loss share of a solved row: Σ_obs c − 2 b·x + xᵀA x with xᵀAx = x·(b − r), r = b − A x,
 * i.e. Σ_i c_ui (p_ui − x·y_i)² + λ‖x‖² summed over all columns i (observed and not).
 */
function rowLoss(sumC: number, x: Float64Array, b: Float64Array, r: Float64Array, k: number): number {
  let bx = 0;
  let rx = 0;
  for (let a = 0; a < k; a++) {
    bx += b[a] * x[a];
    rx += r[a] * x[a];
  }
  return sumC - bx - rx;
}

/**
 * Exact solve of short rows by the Woodbury identity, cheaper than CG when nnz_u is small:
 * with w_j = G⁻¹ y_j, M_ij = y_i·w_j and D = diag(α w_uj), x_u = Σ_j v_j w_j where
 * (D⁻¹ + M) v = D⁻¹ c. Cost O(n²k + n³) given the w_j (precomputed `W = Y G⁻¹`, or n·k² on the fly
 * as products with G⁻¹, which the caller has loaded into the scratch's matrix slot).
 */
export interface LowRankSolve {
  /** Rows of Y G⁻¹ (nCols × k), or null to whiten on the fly with `L`. */
  readonly W: Float32Array | null;
  /** G⁻¹ (full symmetric k × k), for whitening on the fly (`solveRowsCg` loads it into the scratch). */
  readonly Ginv: Float64Array;
  /** Rows with at most this many entries are solved exactly (≤ the scratch's `maxLowRank`). */
  readonly maxNnz: number;
}

function solveRowLowRank(
  X: Float32Array,
  Y: Float32Array,
  side: SolveSide,
  alpha: number,
  u: number,
  lr: LowRankSolve,
  s: SolveScratch,
): number {
  const k = s.k;
  const { S, v, x, woff } = s;
  const { indptr, indices, data } = side;
  const t0 = indptr[u];
  const n = indptr[u + 1] - t0;
  // whitened rows w_j = G⁻¹ y_j: rows of W, or computed into wbuf
  let src: Float32Array;
  if (lr.W) {
    src = lr.W;
    for (let j = 0; j < n; j++) woff[j] = indices[t0 + j] * k;
  } else {
    // w_j = G⁻¹ y_j, four rows per product with the loaded matrix G⁻¹ (see solveRowsCg)
    src = s.wbuf;
    const { x4, ap4 } = s;
    for (let j0 = 0; j0 < n; j0 += 4) {
      const m = Math.min(4, n - j0);
      x4.fill(0);
      for (let l = 0; l < m; l++) {
        const yo = indices[t0 + j0 + l] * k;
        for (let a = 0; a < k; a++) x4[(a << 2) + l] = Y[yo + a];
      }
      s.symv(x4, ap4);
      for (let l = 0; l < m; l++) {
        const wo = (j0 + l) * k;
        for (let a = 0; a < k; a++) src[wo + a] = ap4[(a << 2) + l];
      }
    }
    for (let j = 0; j < n; j++) woff[j] = j * k;
  }
  // S = D⁻¹ + M (M_ij = y_i·w_j), rhs v = D⁻¹ c
  let sumC = 0;
  for (let i = 0; i < n; i++) {
    const yo = indices[t0 + i] * k;
    const d = alpha * data[t0 + i];
    sumC += 1 + d;
    for (let j = i; j < n; j++) {
      const wo = woff[j];
      let m0 = 0;
      let m1 = 0;
      let m2 = 0;
      let m3 = 0;
      let a = 0;
      for (; a + 3 < k; a += 4) {
        m0 += Y[yo + a] * src[wo + a];
        m1 += Y[yo + a + 1] * src[wo + a + 1];
        m2 += Y[yo + a + 2] * src[wo + a + 2];
        m3 += Y[yo + a + 3] * src[wo + a + 3];
      }
      for (; a < k; a++) m0 += Y[yo + a] * src[wo + a];
      const m = m0 + m1 + m2 + m3;
      S[i * n + j] = m;
      S[j * n + i] = m;
    }
    S[i * n + i] += 1 / d;
    v[i] = (1 + d) / d;
  }
  x.fill(0);
  let bx = 0;
  if (n > 0) {
    choleskyInPlace(S, n);
    choleskySolveInPlace(S, n, v);
    for (let j = 0; j < n; j++) {
      const vj = v[j];
      const wo = woff[j];
      for (let a = 0; a < k; a++) x[a] += vj * src[wo + a];
      // b·x = cᵀ M v = Σ c_j (c_j − v_j) / d_j  (since M v = D⁻¹(c − v))
      const d = alpha * data[t0 + j];
      bx += ((1 + d) * (1 + d - vj)) / d;
    }
  }
  const xo = u * k;
  for (let a = 0; a < k; a++) X[xo + a] = x[a];
  return sumC - bx;
}

/**
 * CG half-step for rows [from, to): updates X in place (warm start from its current rows).
 * X: nRows × k, Y: nCols × k, G = YᵀY + λI. Rows with at most `lowRank.maxNnz` entries are solved
 * exactly by {@link solveRowLowRank} instead (null: pure CG, as implicit). Returns the rows' loss share.
 */
export function solveRowsCg(
  X: Float32Array,
  Y: Float32Array,
  G: Float64Array,
  side: SolveSide,
  alpha: number,
  cgSteps: number,
  from: number,
  to: number,
  s: SolveScratch,
  lowRank: LowRankSolve | null = null,
): number {
  const { indptr } = side;
  const maxLow = lowRank ? lowRank.maxNnz : -1;
  let loss = 0;
  // Rows are independent: the short ones first (with G⁻¹ loaded for on-the-fly whitening), then CG.
  if (lowRank) {
    if (!lowRank.W) s.loadMatrix(lowRank.Ginv);
    for (let u = from; u < to; u++)
      if (indptr[u + 1] - indptr[u] <= maxLow) loss += solveRowLowRank(X, Y, side, alpha, u, lowRank, s);
  }
  s.loadMatrix(G);
  const rows = s.rows4;
  // WebAssembly blocks gather their rows: at most `cap` entries per block (longer rows: JS kernel)
  const cap = s.wasm ? s.wasm.layout.gatherCap : 0;
  let m = 0;
  let total = 0;
  const block = (n: number): number =>
    cap > 0 && n <= cap
      ? cgBlockWasm(X, Y, side, alpha, cgSteps, m, s)
      : cgBlock(X, Y, side, alpha, cgSteps, m, s);
  for (let u = from; u < to; u++) {
    const n = indptr[u + 1] - indptr[u];
    if (n <= maxLow) continue;
    if (m > 0 && cap > 0 && total + n > cap) {
      loss += block(total);
      m = 0;
      total = 0;
    }
    rows[m++] = u;
    total += n;
    if (m === 4) {
      loss += block(total);
      m = 0;
      total = 0;
    }
  }
  if (m > 0) loss += block(total);
  return loss;
}

/**
 * Builds row u's system A = G + Σ_obs α w y yᵀ (full k × k) and b = Σ_obs (1 + α w) y into
 * `A`/`b`; returns Σ_obs c. Used by the exact solver, fold-in and explain.
 */
export function buildRowSystem(
  Y: Float32Array,
  G: Float64Array,
  cols: ArrayLike<number>,
  weights: ArrayLike<number>,
  t0: number,
  t1: number,
  alpha: number,
  k: number,
  A: Float64Array,
  b: Float64Array,
): number {
  A.set(G);
  b.fill(0);
  let sumC = 0;
  for (let t = t0; t < t1; t++) {
    const yo = cols[t] * k;
    const cm1 = alpha * weights[t];
    sumC += 1 + cm1;
    for (let a = 0; a < k; a++) {
      const ya = Y[yo + a];
      b[a] += (1 + cm1) * ya;
      const ca = cm1 * ya;
      const row = a * k;
      for (let c = a; c < k; c++) A[row + c] += ca * Y[yo + c];
    }
  }
  for (let a = 0; a < k; a++) for (let c = a + 1; c < k; c++) A[c * k + a] = A[a * k + c];
  return sumC;
}

/** Exact (Cholesky) half-step for rows [from, to): the reference of {@link solveRowsCg}. */
export function solveRowsCholesky(
  X: Float32Array,
  Y: Float32Array,
  G: Float64Array,
  side: SolveSide,
  alpha: number,
  from: number,
  to: number,
  s: SolveScratch,
): number {
  const k = s.k;
  const { A, b, x, r } = s;
  let loss = 0;
  for (let u = from; u < to; u++) {
    const sumC = buildRowSystem(
      Y,
      G,
      side.indices,
      side.data,
      side.indptr[u],
      side.indptr[u + 1],
      alpha,
      k,
      A,
      b,
    );
    choleskyInPlace(A, k);
    x.set(b);
    choleskySolveInPlace(A, k, x);
    for (let a = 0; a < k; a++) X[u * k + a] = x[a];
    r.fill(0);
    loss += rowLoss(sumC, x, b, r, k);
  }
  return loss;
}
