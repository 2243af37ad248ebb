/**
 * Gradient rows of a large embedding table collected per distinct row (duplicates summed), for
 * optimisers that update only the rows a batch touched (lazy Adam, sparse Adagrad). Row `s` of
 * `grad` (dim values) belongs to table row `ids[s]`, for s < `count`.
 * Memory: one Int32 slot per table row plus one scratch row per distinct touched row.
 */
export class RowGradients {
  private readonly slot: Int32Array;
  private idBuf: Int32Array;
  private gradBuf: Float32Array;
  private used = 0;

  constructor(
    nRows: number,
    readonly dim: number,
    capacity = 256,
  ) {
    this.slot = new Int32Array(nRows).fill(-1);
    this.idBuf = new Int32Array(capacity);
    this.gradBuf = new Float32Array(capacity * dim);
  }

  /** Distinct rows collected since the last `clear`. */
  get count(): number {
    return this.used;
  }

  /** Table row of each collected row (first `count` entries). */
  get ids(): Int32Array {
    return this.idBuf;
  }

  /** Summed gradients, `count × dim` row-major. */
  get grad(): Float32Array {
    return this.gradBuf;
  }

  /** Adds the gradient row of `id`: g[k] += src[offset + k·stride], k < dim. */
  add(id: number, src: ArrayLike<number>, offset: number, stride = 1): void {
    const o = this.rowOf(id) * this.dim;
    const buf = this.gradBuf;
    for (let k = 0; k < this.dim; k++) buf[o + k] += src[offset + k * stride];
  }

  /** Forgets the collected rows (after an optimiser step). */
  clear(): void {
    for (let s = 0; s < this.used; s++) this.slot[this.idBuf[s]] = -1;
    this.used = 0;
  }

  private rowOf(id: number): number {
    let s = this.slot[id];
    if (s >= 0) return s;
    if (this.used === this.idBuf.length) {
      const ids = new Int32Array(this.idBuf.length * 2);
      ids.set(this.idBuf);
      const buf = new Float32Array(ids.length * this.dim);
      buf.set(this.gradBuf);
      this.idBuf = ids;
      this.gradBuf = buf;
    }
    s = this.used++;
    this.slot[id] = s;
    this.idBuf[s] = id;
    this.gradBuf.fill(0, s * this.dim, (s + 1) * this.dim);
    return s;
  }
}
