/**
 * GRU4Rec's losses over one mini-batch's score matrix, forward and hand-written gradient in plain
 * loops (cheaper than ~30 elementwise tfjs-wasm ops over M × Ny; checked against finite
 * differences in `losses.test.ts`). Row i's positive is column i; columns j ≠ i are negatives.
 *
 * BPR-max (Hidasi & Karatzoglou 2018), on o = elu_α(x) when α > 0:
 *   s_j = softmax_{j≠i}(o_j), σ_j = σ(o_i − o_j), A = Σ_j σ_j s_j, R = Σ_j o_j² s_j
 *   L_i = −log(A + 1e−24) + λ R
 *   ∂L/∂o_i = −Σ_j σ_j(1−σ_j)s_j / (A+ε)
 *   ∂L/∂o_j = −[−σ_j(1−σ_j)s_j + s_j(σ_j − A)] / (A+ε) + λ[2 o_j s_j + s_j(o_j² − R)]
 *   ∂o/∂x = 1 (x ≥ 0) or o + α (x < 0)
 * Cross-entropy: L_i = logsumexp_j(x_ij) − x_ii, ∂L/∂x_ij = softmax_j − [j = i].
 * The batch cost is Σ_i L_i / batchSize (the official mean × M/batch_size), and so is the gradient.
 * Cost O(M · Ny) time, ≤ 3 exp per element; one module-level scratch row (3 · Ny doubles).
 */

export type Gru4RecLoss = 'bpr-max' | 'cross-entropy';

let scratch = new Float64Array(0);

/**
 * Writes ∂cost/∂x into `grad` (M × Ny row-major) and returns the cost Σ_i L_i / batchSize, where
 * x are the raw scores (before the final activation).
 */
export function lossAndGradient(
  loss: Gru4RecLoss,
  x: Float32Array,
  M: number,
  Ny: number,
  opts: { bpreg: number; eluAlpha: number; batchSize: number },
  grad: Float32Array,
): number {
  const scale = 1 / opts.batchSize;
  let total = 0;
  if (scratch.length < 3 * Ny) scratch = new Float64Array(3 * Ny);
  const oRow = scratch.subarray(0, Ny);
  const sRow = scratch.subarray(Ny, 2 * Ny);
  const sgRow = scratch.subarray(2 * Ny, 3 * Ny);
  for (let i = 0; i < M; i++) {
    const row = i * Ny;
    if (loss === 'cross-entropy') {
      let mx = -Infinity;
      for (let j = 0; j < Ny; j++) if (x[row + j] > mx) mx = x[row + j];
      let z = 0;
      for (let j = 0; j < Ny; j++) {
        const e = Math.exp(x[row + j] - mx);
        grad[row + j] = e;
        z += e;
      }
      total += Math.log(z) + mx - x[row + i];
      for (let j = 0; j < Ny; j++) grad[row + j] = (grad[row + j] / z - (j === i ? 1 : 0)) * scale;
      continue;
    }
    const a = opts.eluAlpha;
    // o = act(x), s = softmax weights (unnormalised), sg = σ(o_i − o_j), once per element.
    let mx = -Infinity;
    for (let j = 0; j < Ny; j++) {
      const v = x[row + j];
      const o = a > 0 && v < 0 ? a * (Math.exp(v) - 1) : v;
      oRow[j] = o;
      if (j !== i && o > mx) mx = o;
    }
    const oi = oRow[i];
    let z = 0;
    for (let j = 0; j < Ny; j++) {
      const e = j === i ? 0 : Math.exp(oRow[j] - mx);
      sRow[j] = e;
      z += e;
    }
    let A = 0;
    let R = 0;
    let B = 0; // Σ σ(1−σ) s
    const invZ = 1 / z;
    for (let j = 0; j < Ny; j++) {
      const s = sRow[j] * invZ;
      sRow[j] = s;
      const oj = oRow[j];
      const sg = 1 / (1 + Math.exp(oj - oi));
      sgRow[j] = sg;
      A += sg * s;
      R += oj * oj * s;
      B += sg * (1 - sg) * s;
    }
    const inv = 1 / (A + 1e-24);
    total += -Math.log(A + 1e-24) + opts.bpreg * R;
    const lam = opts.bpreg;
    for (let j = 0; j < Ny; j++) {
      const oj = oRow[j];
      const dAct = a > 0 && x[row + j] < 0 ? oj + a : 1;
      let g: number;
      if (j === i) g = -B * inv;
      else {
        const s = sRow[j];
        const sg = sgRow[j];
        g = -(-sg * (1 - sg) * s + s * (sg - A)) * inv + lam * (2 * oj * s + s * (oj * oj - R));
      }
      grad[row + j] = g * dAct * scale;
    }
  }
  return total * scale;
}
