/**
 * Small dense linear algebra for the ALS solvers: Gram matrices of factor blocks and a Cholesky
 * factorisation of k × k symmetric positive-definite systems. All matrices are row-major
 * `Float64Array(k * k)`; factor blocks are row-major `Float32Array(n * k)`.
 */
import { RecError } from '../../../core/errors.js';

/**
 * Adds Σ_{r ∈ [from, to)} y_r y_rᵀ to the upper triangle of `out` (k × k). O((to − from) · k²/2).
 * Rows are taken eight at a time, transposed into a float64 block, so that each entry of `out` is
 * loaded and stored once per eight rows (≈ 1.4× faster than four rows in V8).
 */
export function addGramUpper(Y: Float32Array, k: number, from: number, to: number, out: Float64Array): void {
  const s = new Float64Array(8 * k);
  let r = from;
  for (; r + 8 <= to; r += 8) {
    for (let l = 0; l < 8; l++) {
      const o = (r + l) * k;
      for (let b = 0; b < k; b++) s[b * 8 + l] = Y[o + b];
    }
    for (let a = 0; a < k; a++) {
      const ao = a * 8;
      const y0 = s[ao];
      const y1 = s[ao + 1];
      const y2 = s[ao + 2];
      const y3 = s[ao + 3];
      const y4 = s[ao + 4];
      const y5 = s[ao + 5];
      const y6 = s[ao + 6];
      const y7 = s[ao + 7];
      const row = a * k;
      for (let b = a; b < k; b++) {
        const bo = b * 8;
        out[row + b] +=
          y0 * s[bo] +
          y1 * s[bo + 1] +
          y2 * s[bo + 2] +
          y3 * s[bo + 3] +
          y4 * s[bo + 4] +
          y5 * s[bo + 5] +
          y6 * s[bo + 6] +
          y7 * s[bo + 7];
      }
    }
  }
  addGramRows(Y, k, r, to, out);
}

/** Adds Σ y_r y_rᵀ of rows [from, to) to the upper triangle of `out`, one row at a time (the tail of the blocked kernels). */
export function addGramRows(Y: Float32Array, k: number, from: number, to: number, out: Float64Array): void {
  for (let r = from; r < to; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const ya = Y[o + a];
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b] += ya * Y[o + b];
    }
  }
}

/** Copies the upper triangle onto the lower one and adds `ridge` to the diagonal. */
export function finishGram(g: Float64Array, k: number, ridge: number): void {
  for (let a = 0; a < k; a++) {
    g[a * k + a] += ridge;
    for (let b = a + 1; b < k; b++) g[b * k + a] = g[a * k + b];
  }
}

/** YᵀY + ridge·I of the rows of Y (single-threaded). */
export function gram(Y: Float32Array, k: number, ridge: number): Float64Array {
  const g = new Float64Array(k * k);
  addGramUpper(Y, k, 0, Y.length / k, g);
  finishGram(g, k, ridge);
  return g;
}

/**
 * In-place Cholesky factorisation A = L Lᵀ (L in the lower triangle, upper part left as is).
 * Throws NUMERIC when A is not positive definite.
 */
export function choleskyInPlace(A: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j];
    for (let m = 0; m < j; m++) d -= A[j * k + m] * A[j * k + m];
    if (!(d > 0)) {
      throw new RecError(
        'NUMERIC',
        `ALS system is not positive definite (pivot ${j} = ${d}); raise regularization`,
      );
    }
    const ljj = Math.sqrt(d);
    A[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= A[i * k + m] * A[j * k + m];
      A[i * k + j] = s / ljj;
    }
  }
}

/** Solves L Lᵀ x = b in place (`b` becomes x), L from {@link choleskyInPlace}. O(k²). */
export function choleskySolveInPlace(L: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * b[m];
    b[i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * b[m];
    b[i] = s / L[i * k + i];
  }
}

/** The inverse of A from its Cholesky factor L (lower triangle of `L`), as a full symmetric k × k matrix. O(k³). */
export function inverseFromCholesky(
  L: Float64Array,
  k: number,
  out: Float64Array = new Float64Array(k * k),
): Float64Array {
  const e = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    e.fill(0);
    e[c] = 1;
    choleskySolveInPlace(L, k, e);
    for (let a = 0; a < k; a++) out[a * k + c] = e[a];
  }
  for (let a = 0; a < k; a++)
    for (let c = a + 1; c < k; c++) out[a * k + c] = out[c * k + a] = (out[a * k + c] + out[c * k + a]) / 2;
  return out;
}
