/**
 * BPR-Opt SGD (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009, "BPR: Bayesian Personalized
 * Ranking from Implicit Feedback"). For a triple (u, i⁺, j⁻) with x_uij = x_u·(y_i − y_j) + b_i − b_j
 * the step ascends  ln σ(x_uij) − (λ/2)(‖x_u‖² + ‖y_i‖² + ‖y_j‖² + b_i² + b_j²):
 *
 *   z = σ(−x_uij);  x_u += η(z(y_i − y_j) − λx_u);  y_i += η(z x_u − λy_i);  y_j += η(−z x_u − λy_j)
 *   b_i += η(z − λb_i);  b_j += η(−z − λb_j)        (all with the parameters before the step)
 *
 * `bprStep` is the fast flat-array step; `bprStepReference` the readable one; `bprEpochRange` one
 * thread's share of an epoch (Hogwild: threads update shared factors without locks).
 * Cost per sample O(k) (+ O(log nnz_u) to verify the negative); memory: factors, the CSR and one
 * int per interaction (its user).
 */
import { Rng } from '../../../core/rng.js';

/** One SGD step on flat arrays; returns x_uij before the step. */
export function bprStep(
  U: Float32Array,
  uo: number,
  V: Float32Array,
  io: number,
  jo: number,
  B: Float32Array | null,
  i: number,
  j: number,
  k: number,
  lr: number,
  reg: number,
): number {
  let x = B ? B[i] - B[j] : 0;
  for (let a = 0; a < k; a++) x += U[uo + a] * (V[io + a] - V[jo + a]);
  const z = 1 / (1 + Math.exp(x));
  if (z !== z) return x; // NaN guard (implicit skips too)
  for (let a = 0; a < k; a++) {
    const ua = U[uo + a];
    const via = V[io + a];
    const vja = V[jo + a];
    U[uo + a] = ua + lr * (z * (via - vja) - reg * ua);
    V[io + a] = via + lr * (z * ua - reg * via);
    V[jo + a] = vja + lr * (-z * ua - reg * vja);
  }
  if (B) {
    const bi = B[i];
    const bj = B[j];
    B[i] = bi + lr * (z - reg * bi);
    B[j] = bj + lr * (-z - reg * bj);
  }
  return x;
}

/** Parameters of one triple, as plain arrays (reference and gradient check). */
export interface Triple {
  u: number[];
  vi: number[];
  vj: number[];
  bi: number;
  bj: number;
}

/** The per-triple objective the step ascends. */
export function bprObjective(t: Triple, reg: number): number {
  const x = t.bi - t.bj + t.u.reduce((s, ua, a) => s + ua * (t.vi[a] - t.vj[a]), 0);
  const sq = (v: number[]): number => v.reduce((s, e) => s + e * e, 0);
  return -Math.log1p(Math.exp(-x)) - (reg / 2) * (sq(t.u) + sq(t.vi) + sq(t.vj) + t.bi * t.bi + t.bj * t.bj);
}

/** Readable reference of {@link bprStep}: returns the updated parameters. */
export function bprStepReference(t: Triple, lr: number, reg: number): Triple {
  const x = t.bi - t.bj + t.u.reduce((s, ua, a) => s + ua * (t.vi[a] - t.vj[a]), 0);
  const z = 1 / (1 + Math.exp(x)); // d/dx ln σ(x) = σ(−x)
  return {
    u: t.u.map((ua, a) => ua + lr * (z * (t.vi[a] - t.vj[a]) - reg * ua)),
    vi: t.vi.map((v, a) => v + lr * (z * t.u[a] - reg * v)),
    vj: t.vj.map((v, a) => v + lr * (-z * t.u[a] - reg * v)),
    bi: t.bi + lr * (z - reg * t.bi),
    bj: t.bj + lr * (-z - reg * t.bj),
  };
}

/** State one BPR thread works on (SharedArrayBuffer-backed when threads are used). */
export interface BprShared {
  k: number;
  reg: number;
  nItems: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Item biases, or length 0 when disabled. */
  itemBias: Float32Array;
  /** User → items CSR, items sorted inside each row. */
  indptr: Int32Array;
  indices: Int32Array;
  /** User of each stored interaction. */
  rowOf: Int32Array;
  /** Alias table over interactions for strength-weighted positives (length 0: uniform). */
  aliasProb: Float64Array;
  aliasIdx: Int32Array;
  popularityNegatives: boolean;
  verifyNegatives: boolean;
}

function hasItem(indptr: Int32Array, indices: Int32Array, u: number, j: number): boolean {
  let lo = indptr[u];
  let hi = indptr[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = indices[mid];
    if (v === j) return true;
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export interface EpochStats {
  /** Σ −ln σ(x_uij) over the updates. */
  loss: number;
  updates: number;
  /** Triples already ranked right (x_uij > 0) before their step. */
  correct: number;
  /** Negatives skipped because the user had interacted with them. */
  skipped: number;
}

/** `nSamples` SGD steps with step size `lr`, randomness from `seed`. */
export function bprEpochRange(st: BprShared, seed: number, nSamples: number, lr: number): EpochStats {
  const rng = new Rng(seed);
  const { k, reg, indptr, indices, rowOf, aliasProb, aliasIdx, userFactors: U, itemFactors: V } = st;
  const B = st.itemBias.length > 0 ? st.itemBias : null;
  const nnz = indices.length;
  const weighted = aliasProb.length > 0;
  let loss = 0;
  let updates = 0;
  let correct = 0;
  let skipped = 0;
  for (let s = 0; s < nSamples; s++) {
    let t = rng.int(nnz);
    if (weighted && rng.next() >= aliasProb[t]) t = aliasIdx[t];
    const u = rowOf[t];
    const i = indices[t];
    const j = st.popularityNegatives ? indices[rng.int(nnz)] : rng.int(st.nItems);
    if (j === i || (st.verifyNegatives && hasItem(indptr, indices, u, j))) {
      skipped++;
      continue;
    }
    const x = bprStep(U, u * k, V, i * k, j * k, B, i, j, k, lr, reg);
    if (x > 0) correct++;
    loss += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
    updates++;
  }
  return { loss, updates, correct, skipped };
}

/** Vose's alias table over `weights` (O(n) build, O(1) draws). */
export function aliasTable(weights: Float32Array): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  let sum = 0;
  for (let t = 0; t < n; t++) sum += weights[t];
  const scaled = new Float64Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let t = 0; t < n; t++) {
    scaled[t] = (weights[t] * n) / sum;
    (scaled[t] < 1 ? small : large).push(t);
  }
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const t of large) prob[t] = 1;
  for (const t of small) prob[t] = 1;
  return { prob, alias };
}
