/**
 * Sparse row updates of a large embedding table kept in a Float32Array (GRU4Rec's sampled-row
 * updates of `Wy`/`By`): gradients of gathered rows are summed per distinct row, then only those
 * rows get Adagrad (acc += g², u = g/√(acc+ε)) with classical momentum (v = μv − ηu, p += v),
 * as the official implementation's `adagrad(..., sample_idx)` + momentum. Rows not in the batch
 * keep their accumulators and velocity untouched. (The official Theano code writes duplicates with
 * `set_subtensor`, so one duplicate wins; summing them is the exact gradient.)
 * Cost per step O(gathered rows · dim); memory one scratch row per distinct row.
 */

import { RowGradients } from './row-gradients.js';
export class SparseRowUpdater {
  private readonly rows: RowGradients;

  constructor(
    nRows: number,
    readonly dim: number,
    capacity = 1024,
  ) {
    this.rows = new RowGradients(nRows, dim, capacity);
  }

  /** Adds the gradient row of `id`: g[k] = src[offset + k·stride], k < dim. */
  add(id: number, src: ArrayLike<number>, offset: number, stride: number): void {
    this.rows.add(id, src, offset, stride);
  }

  /** Applies Adagrad + momentum to the collected rows of `param` and clears the collection. */
  apply(
    param: Float32Array,
    acc: Float32Array,
    vel: Float32Array,
    lr: number,
    momentum: number,
    eps = 1e-6,
  ): void {
    const d = this.dim;
    const { ids, grad, count } = this.rows;
    for (let s = 0; s < count; s++) {
      const po = ids[s] * d;
      const bo = s * d;
      for (let k = 0; k < d; k++) {
        const g = grad[bo + k];
        const a = acc[po + k] + g * g;
        acc[po + k] = a;
        const u = g / Math.sqrt(a + eps);
        if (momentum > 0) {
          const v = momentum * vel[po + k] - lr * u;
          vel[po + k] = v;
          param[po + k] += v;
        } else param[po + k] -= lr * u;
      }
    }
    this.rows.clear();
  }
}
