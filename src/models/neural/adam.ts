/**
 * Adam (Kingma & Ba 2015) on plain Float32Array parameters, dense and row-sparse ("lazy Adam", as
 * TensorFlow's LazyAdamOptimizer): a row that is not in the mini-batch keeps its moments and value.
 * Used by models that gather embedding rows into a step and get the gradient of the gathered rows
 * back from tfjs (NCF, Two-Tower), so no dense catalogue × dim gradient is ever formed.
 *
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − η·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 * Cost O(size) per dense update, O(distinct rows · dim) per sparse update; memory 2× the params.
 */

import { RowGradients } from './row-gradients.js';

export interface AdamHyper {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Moments of one parameter array. */
export class AdamMoments {
  readonly m: Float32Array;
  readonly v: Float32Array;
  constructor(size: number) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }
}

/** One dense Adam step at time step t ≥ 1 (`grad` may be shorter than `param`: a prefix). */
export function adamDense(
  param: Float32Array,
  grad: ArrayLike<number>,
  mom: AdamMoments,
  t: number,
  h: AdamHyper,
): void {
  const b1 = h.beta1 ?? 0.9;
  const b2 = h.beta2 ?? 0.999;
  const eps = h.eps ?? 1e-8;
  const c1 = 1 - Math.pow(b1, t);
  const c2 = 1 - Math.pow(b2, t);
  const { m, v } = mom;
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
    const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
    param[i] -= (h.lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

/**
 * Collects gradients of gathered rows (summing duplicates) and applies lazy Adam to exactly those
 * rows, optionally with L2 weight decay λ·p added to each touched row's gradient.
 */
export class RowAdam {
  private readonly rows: RowGradients;
  readonly mom: AdamMoments;

  constructor(
    nRows: number,
    readonly dim: number,
  ) {
    this.rows = new RowGradients(nRows, dim);
    this.mom = new AdamMoments(nRows * dim);
  }

  /** Adds the gradient row of `id`: g[k] = src[offset + k], k < dim. */
  add(id: number, src: ArrayLike<number>, offset: number): void {
    this.rows.add(id, src, offset);
  }

  /** Lazy Adam on the collected rows of `param` at step t, then clears the collection. */
  apply(param: Float32Array, t: number, h: AdamHyper, l2 = 0): void {
    const d = this.dim;
    const b1 = h.beta1 ?? 0.9;
    const b2 = h.beta2 ?? 0.999;
    const eps = h.eps ?? 1e-8;
    const c1 = 1 - Math.pow(b1, t);
    const c2 = 1 - Math.pow(b2, t);
    const { m, v } = this.mom;
    const { ids, grad, count } = this.rows;
    for (let s = 0; s < count; s++) {
      const po = ids[s] * d;
      const bo = s * d;
      for (let k = 0; k < d; k++) {
        const g = grad[bo + k] + l2 * param[po + k];
        const mi = (m[po + k] = b1 * m[po + k] + (1 - b1) * g);
        const vi = (v[po + k] = b2 * v[po + k] + (1 - b2) * g * g);
        param[po + k] -= (h.lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    }
    this.rows.clear();
  }
}
