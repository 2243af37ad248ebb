/**
 * Small dense linear algebra for the ALS solvers: Gram matrices of factor blocks and a Cholesky
 * factorisation of k × k symmetric positive-definite systems. All matrices are row-major
 * `Float64Array(k * k)`; factor blocks are row-major `Float32Array(n * k)`.
 */
import { RecError } from '../../../core/errors.js';

/**
 * Adds Σ_{r ∈ [from, to)} y_r y_rᵀ to the upper triangle of `out` (k × k). O((to − from) · k²/2).
 * Rows are taken four at a time so that each entry of `out` is loaded and stored once per block.
 */
export function addGramUpper(Y: Float32Array, k: number, from: number, to: number, out: Float64Array): void {
  let r = from;
  for (; r + 4 <= to; r += 4) {
    const o0 = r * k;
    const o1 = o0 + k;
    const o2 = o1 + k;
    const o3 = o2 + k;
    for (let a = 0; a < k; a++) {
      const y0 = Y[o0 + a];
      const y1 = Y[o1 + a];
      const y2 = Y[o2 + a];
      const y3 = Y[o3 + a];
      const row = a * k;
      for (let b = a; b < k; b++) {
        out[row + b] += y0 * Y[o0 + b] + y1 * Y[o1 + b] + y2 * Y[o2 + b] + y3 * Y[o3 + b];
      }
    }
  }
  for (; r < to; r++) {
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
