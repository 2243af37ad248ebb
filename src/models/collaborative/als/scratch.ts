/** Solver inputs and per-thread scratch buffers of the ALS kernels (allocated once per thread). */
import { symv4 } from './cg.js';
import { addGramUpper } from './linalg.js';
import { GATHER_BYTES, WasmKernels, wasmKernelsAvailable } from './wasm-kernels.js';

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
  /**
   * Blocked CG: four rows' vectors interleaved (`v[a * 4 + lane]`, zero-padded to an even k when
   * the WebAssembly kernels are used: they live in its memory), per-lane scalars, row ids.
   */
  readonly x4: Float64Array;
  readonly r4: Float64Array;
  readonly p4: Float64Array;
  readonly ap4: Float64Array;
  readonly b4: Float64Array;
  readonly rs4 = new Float64Array(4);
  readonly sumC4 = new Float64Array(4);
  readonly active4 = new Uint8Array(4);
  readonly rows4 = new Int32Array(4);
  /** WebAssembly CG: lane l's gathered entries are [start4[l], start4[l + 1]). */
  readonly start4 = new Int32Array(5);
  /** WebAssembly SIMD kernels, or null for the JavaScript reference kernels. */
  readonly wasm: WasmKernels | null;
  /** The matrix loaded for {@link symv} (JavaScript path). */
  private readonly matrix: Float64Array;
  constructor(
    readonly k: number,
    readonly maxLowRank = 0,
    useWasm = wasmKernelsAvailable(),
    /** Gathered-rows area of the WebAssembly CG (blocks with more entries use the JS kernel). */
    gatherBytes = GATHER_BYTES,
  ) {
    this.S = new Float64Array(maxLowRank * maxLowRank);
    this.v = new Float64Array(maxLowRank);
    this.wbuf = new Float32Array(maxLowRank * k);
    this.woff = new Int32Array(maxLowRank);
    this.wasm = useWasm ? new WasmKernels(k, gatherBytes) : null;
    const vec = (i: number): Float64Array => (this.wasm ? this.wasm.vector(i) : new Float64Array(4 * k));
    this.x4 = vec(0);
    this.r4 = vec(1);
    this.p4 = vec(2);
    this.ap4 = vec(3);
    this.b4 = vec(4);
    this.matrix = new Float64Array(this.wasm ? 0 : k * k);
    this.x = new Float64Array(k);
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.ap = new Float64Array(k);
    this.b = new Float64Array(k);
    this.A = new Float64Array(k * k);
  }

  /** Loads the symmetric k × k matrix that {@link symv} multiplies by (G or G⁻¹ of a half-step). */
  loadMatrix(M: Float64Array): void {
    if (this.wasm) this.wasm.loadMatrix(M);
    else this.matrix.set(M);
  }

  /** O = M·V for four interleaved vectors of this scratch (M from {@link loadMatrix}). */
  symv(V: Float64Array, O: Float64Array): void {
    if (this.wasm) this.wasm.symv(V, O);
    else symv4(this.matrix, V, O, this.k);
  }

  /** Adds Σ y_r y_rᵀ (r in [from, to)) to the upper triangle of `out` (see `addGramUpper`). */
  addGramUpper(Y: Float32Array, from: number, to: number, out: Float64Array): void {
    if (this.wasm) this.wasm.addGramUpper(Y, from, to, out);
    else addGramUpper(Y, this.k, from, to, out);
  }
}
