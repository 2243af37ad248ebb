/**
 * Sparse row updates of a large embedding table kept in a Float32Array (GRU4Rec's sampled-row
 * updates of `Wy`/`By`): gradients of gathered rows are summed per distinct row, then only those
 * rows get Adagrad (acc += g², u = g/√(acc+ε)) with classical momentum (v = μv − ηu, p += v),
 * as the official implementation's `adagrad(..., sample_idx)` + momentum. Rows not in the batch
 * keep their accumulators and velocity untouched. (The official Theano code writes duplicates with
 * `set_subtensor`, so one duplicate wins; summing them is the exact gradient.)
 * Cost per step O(gathered rows · dim); memory one scratch row per distinct row.
 */
export class SparseRowUpdater {
  private readonly slot: Int32Array;
  private ids: Int32Array;
  private buf: Float32Array;
  private used = 0;

  constructor(
    nRows: number,
    readonly dim: number,
    capacity = 1024,
  ) {
    this.slot = new Int32Array(nRows).fill(-1);
    this.ids = new Int32Array(capacity);
    this.buf = new Float32Array(capacity * dim);
  }

  private rowOf(id: number): number {
    let s = this.slot[id];
    if (s >= 0) return s;
    if (this.used === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      const buf = new Float32Array(ids.length * this.dim);
      buf.set(this.buf);
      this.ids = ids;
      this.buf = buf;
    }
    s = this.used++;
    this.slot[id] = s;
    this.ids[s] = id;
    this.buf.fill(0, s * this.dim, (s + 1) * this.dim);
    return s;
  }

  /** Adds the gradient row of `id`: g[k] = src[offset + k·stride], k < dim. */
  add(id: number, src: ArrayLike<number>, offset: number, stride: number): void {
    const o = this.rowOf(id) * this.dim;
    const buf = this.buf;
    for (let k = 0; k < this.dim; k++) buf[o + k] += src[offset + k * stride];
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
    for (let s = 0; s < this.used; s++) {
      const id = this.ids[s];
      const po = id * d;
      const bo = s * d;
      for (let k = 0; k < d; k++) {
        const g = this.buf[bo + k];
        const a = acc[po + k] + g * g;
        acc[po + k] = a;
        const u = g / Math.sqrt(a + eps);
        if (momentum > 0) {
          const v = momentum * vel[po + k] - lr * u;
          vel[po + k] = v;
          param[po + k] += v;
        } else param[po + k] -= lr * u;
      }
      this.slot[id] = -1;
    }
    this.used = 0;
  }
}
