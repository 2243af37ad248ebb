/**
 * Readable reference of the ALS row solve: forms the dense system with plain arrays and runs
 * textbook conjugate gradient. Slow (O(nnz·k² + steps·k²) per row, allocates); used only by tests
 * to check the fast kernel in `solver.ts` step by step.
 */

/** A = YᵀY + λI + Σ_obs α w y yᵀ and b = Σ_obs (1 + α w) y for one row, as nested arrays. */
export function referenceSystem(
  Y: number[][],
  cols: number[],
  weights: number[],
  lambda: number,
  alpha: number,
): { A: number[][]; b: number[] } {
  const k = Y[0].length;
  const A = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, c) => (a === c ? lambda : 0)));
  for (const y of Y) for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) A[a][c] += y[a] * y[c];
  const b = new Array<number>(k).fill(0);
  cols.forEach((i, t) => {
    const y = Y[i];
    const conf = 1 + alpha * weights[t];
    for (let a = 0; a < k; a++) {
      b[a] += conf * y[a];
      for (let c = 0; c < k; c++) A[a][c] += (conf - 1) * y[a] * y[c];
    }
  });
  return { A, b };
}

const dot = (u: number[], v: number[]): number => u.reduce((s, ui, a) => s + ui * v[a], 0);
const matvec = (A: number[][], v: number[]): number[] => A.map((row) => dot(row, v));

/** `steps` textbook CG steps on A x = b from x0 (stops early when ‖r‖² < 1e-20). */
export function referenceCg(A: number[][], b: number[], x0: number[], steps: number): number[] {
  const x = x0.slice();
  let r = b.map((bi, a) => bi - matvec(A, x)[a]);
  let p = r.slice();
  let rsold = dot(r, r);
  if (rsold < 1e-20) return x;
  for (let it = 0; it < steps; it++) {
    const ap = matvec(A, p);
    const step = rsold / dot(p, ap);
    for (let a = 0; a < x.length; a++) x[a] += step * p[a];
    r = r.map((ra, a) => ra - step * ap[a]);
    const rsnew = dot(r, r);
    if (rsnew < 1e-20) break;
    p = r.map((ra, a) => ra + (rsnew / rsold) * p[a]);
    rsold = rsnew;
  }
  return x;
}
