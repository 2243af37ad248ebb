/** Solver inputs and per-thread scratch buffers of the ALS kernels (allocated once per thread). */

/** One orientation of the strength matrix: row r's columns/strengths in [indptr[r], indptr[r+1]). */
export interface SolveSide {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/** Scratch vectors of one solver thread (allocated once, reused for every row). */
export class SolveScratch {
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  readonly b: Float64Array;
  readonly A: Float64Array;
  /** Low-rank solve scratch: n × n system, its right-hand side, n whitened rows. */
  readonly S: Float64Array;
  readonly v: Float64Array;
  readonly wbuf: Float32Array;
  readonly woff: Int32Array;
  /** Blocked CG: four rows' vectors interleaved (`v[a * 4 + lane]`), per-lane scalars, row ids. */
  readonly x4 = new Float64Array(0);
  readonly r4: Float64Array;
  readonly p4: Float64Array;
  readonly ap4: Float64Array;
  readonly b4: Float64Array;
  readonly rs4 = new Float64Array(4);
  readonly sumC4 = new Float64Array(4);
  readonly active4 = new Uint8Array(4);
  readonly rows4 = new Int32Array(4);
  constructor(
    readonly k: number,
    readonly maxLowRank = 0,
  ) {
    this.S = new Float64Array(maxLowRank * maxLowRank);
    this.v = new Float64Array(maxLowRank);
    this.wbuf = new Float32Array(maxLowRank * k);
    this.woff = new Int32Array(maxLowRank);
    this.x4 = new Float64Array(4 * k);
    this.r4 = new Float64Array(4 * k);
    this.p4 = new Float64Array(4 * k);
    this.ap4 = new Float64Array(4 * k);
    this.b4 = new Float64Array(4 * k);
    this.x = new Float64Array(k);
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.ap = new Float64Array(k);
    this.b = new Float64Array(k);
    this.A = new Float64Array(k * k);
  }
}
