/**
 * WebAssembly SIMD (f64x2) versions of the two k²-cost ALS kernels, assembled from bytes at run
 * time (no toolchain): `symv4`, the product of a k × k matrix with four interleaved vectors (CG's
 * G·p and the whitening G⁻¹·y, `cg.ts`), and `gram8`, the Gram update of eight factor rows
 * (`linalg.ts` `addGramUpper`). Each module is specialised for one k (memory offsets are constants)
 * and owns its memory; one instance per thread. V8 runs the JavaScript loops at about one
 * multiply-add per 3 cycles; here each loop iteration does four (symv4) or sixteen (gram8) with
 * two-lane vector instructions and no bounds checks.
 *
 * Both kernels add in exactly the order of their JavaScript references (per lane, a running sum
 * over b for symv4; `out + (((y₀s₀ + y₁s₁) + y₂s₂) + …)` for gram8) with separate multiply and add,
 * so their results are bit-identical to them (tests check this).
 *
 * Memory layout (bytes, kp = k rounded up to even, all zero-padded to kp): a kp × kp matrix slot
 * at 0, a kp × kp Gram slot, eight Gram rows of kp, then five vectors of 4·kp (interleaved lanes).
 */

import { addGramRows } from './linalg.js';
import { I32, name, section, uleb, vec } from '../../common/wasm-asm.js';
import { symv4Body, gram8Body, rowsBody } from './wasm-bodies.js';

/** Byte offsets of the buffers in a module's memory. */
export interface KernelLayout {
  kp: number;
  matrix: number;
  gram: number;
  rows: number;
  vectors: number;
  /** Lane vector v and accumulator of the row kernels (kp each). */
  lane: number;
  laneAcc: number;
  /** Gathered rows: capacity, two coefficient arrays and the rows (kp each). */
  gatherCap: number;
  coefA: number;
  coefB: number;
  gather: number;
  bytes: number;
}

/** Bytes of the gathered-rows area (rows of larger CG blocks are read by the JavaScript kernel). */
export const GATHER_BYTES = 8 << 20;

export function kernelLayout(k: number, gatherBytes = GATHER_BYTES): KernelLayout {
  const kp = k + (k & 1);
  const matrix = 0;
  const gram = kp * kp * 8;
  const rows = 2 * gram;
  const vectors = rows + 8 * kp * 8;
  const lane = vectors + 5 * 4 * kp * 8;
  const laneAcc = lane + kp * 8;
  const gatherCap = Math.max(4, Math.floor(gatherBytes / (kp * 8)));
  const coefA = laneAcc + kp * 8;
  const coefB = coefA + gatherCap * 8;
  const gather = coefB + gatherCap * 8;
  const bytes = gather + gatherCap * kp * 8;
  return { kp, matrix, gram, rows, vectors, lane, laneAcc, gatherCap, coefA, coefB, gather, bytes };
}

/** The module bytes for dimension k: memory "m", functions "symv4" and "gram8". */
export function kernelModuleBytes(k: number, gatherBytes = GATHER_BYTES): Uint8Array {
  const { kp, bytes, lane, laneAcc } = kernelLayout(k, gatherBytes);
  const pages = Math.ceil(bytes / 65536);
  const body = (code: number[]): number[] => [...uleb(code.length), ...code];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(
      1,
      vec([
        [0x60, 3, I32, I32, I32, 0],
        [0x60, 2, I32, I32, 0],
      ]),
    ),
    ...section(3, vec([[0], [1], [0], [0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([
        [...name('m'), 0x02, 0],
        [...name('symv4'), 0x00, 0],
        [...name('gram8'), 0x00, 1],
        [...name('rowsAx'), 0x00, 2],
        [...name('rowsSum'), 0x00, 3],
      ]),
    ),
    ...section(
      10,
      vec([
        body(symv4Body(kp)),
        body(gram8Body(k, kp)),
        body(rowsBody(kp, lane, laneAcc, true)),
        body(rowsBody(kp, lane, laneAcc, false)),
      ]),
    ),
  ]);
}

/** The part of the WebAssembly JS API used here (the project's `lib` has no DOM typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

const modules = new Map<string, object>();

/** One thread's instance of the kernels for dimension k, with typed views of its buffers. */
export class WasmKernels {
  readonly layout: KernelLayout;
  /** Matrix slot (kp × kp, row-major, zero-padded), the operand of {@link symv}. */
  readonly matrix: Float64Array;
  private readonly gramOut: Float64Array;
  private readonly rows: Float64Array;
  private readonly fSymv: (g: number, v: number, o: number) => void;
  private readonly fGram: (s: number, out: number) => void;
  private readonly fRowsAx: (y: number, c: number, n: number) => void;
  private readonly fRowsSum: (y: number, c: number, n: number) => void;
  /** Row kernels' lane vector v and accumulator (kp each). */
  readonly lane: Float64Array;
  readonly laneAcc: Float64Array;
  /** Gathered rows (`gatherCap` rows of kp, zero-padded) and their two coefficient arrays. */
  readonly gather: Float64Array;
  readonly coefA: Float64Array;
  readonly coefB: Float64Array;
  private readonly mem: ArrayBuffer;

  constructor(
    readonly k: number,
    gatherBytes = GATHER_BYTES,
  ) {
    if (!wasmApi) throw new Error('WebAssembly is not available');
    const key = `${k}/${gatherBytes}`;
    let mod = modules.get(key);
    if (!mod) {
      mod = new wasmApi.Module(kernelModuleBytes(k, gatherBytes));
      modules.set(key, mod);
    }
    const inst = new wasmApi.Instance(mod, {});
    const ex = inst.exports as {
      m: { buffer: ArrayBuffer };
      symv4: (g: number, v: number, o: number) => void;
      gram8: (s: number, out: number) => void;
      rowsAx: (y: number, c: number, n: number) => void;
      rowsSum: (y: number, c: number, n: number) => void;
    };
    this.layout = kernelLayout(k, gatherBytes);
    const { kp } = this.layout;
    this.mem = ex.m.buffer;
    this.matrix = new Float64Array(this.mem, this.layout.matrix, kp * kp);
    this.gramOut = new Float64Array(this.mem, this.layout.gram, kp * kp);
    this.rows = new Float64Array(this.mem, this.layout.rows, 8 * kp);
    this.fSymv = ex.symv4;
    this.fGram = ex.gram8;
    this.fRowsAx = ex.rowsAx;
    this.fRowsSum = ex.rowsSum;
    const L = this.layout;
    this.lane = new Float64Array(this.mem, L.lane, kp);
    this.laneAcc = new Float64Array(this.mem, L.laneAcc, kp);
    this.gather = new Float64Array(this.mem, L.gather, L.gatherCap * kp);
    this.coefA = new Float64Array(this.mem, L.coefA, L.gatherCap);
    this.coefB = new Float64Array(this.mem, L.coefB, L.gatherCap);
  }

  /** laneAcc += Σ_{e ∈ [e0, e0 + n)} coefA[e]·(y_e·lane)·y_e over the gathered rows. */
  rowsAx(e0: number, n: number): void {
    const L = this.layout;
    this.fRowsAx(L.gather + e0 * L.kp * 8, L.coefA + e0 * 8, n);
  }

  /** laneAcc += Σ_{e ∈ [e0, e0 + n)} coefB[e]·y_e over the gathered rows. */
  rowsSum(e0: number, n: number): void {
    const L = this.layout;
    this.fRowsSum(L.gather + e0 * L.kp * 8, L.coefB + e0 * 8, n);
  }

  /** The i-th (0–4) four-lane vector buffer (4·kp doubles, interleaved `v[a·4 + lane]`). */
  vector(i: number): Float64Array {
    const n = 4 * this.layout.kp;
    return new Float64Array(this.mem, this.layout.vectors + i * n * 8, n);
  }

  /** Copies the k × k row-major matrix `M` into the matrix slot. */
  loadMatrix(M: Float64Array): void {
    const { k } = this;
    const kp = this.layout.kp;
    if (kp === k) this.matrix.set(M);
    else for (let a = 0; a < k; a++) this.matrix.set(M.subarray(a * k, a * k + k), a * kp);
  }

  /** O = matrix · V for two of this instance's vector buffers. */
  symv(V: Float64Array, O: Float64Array): void {
    this.fSymv(this.layout.matrix, V.byteOffset, O.byteOffset);
  }

  /** `addGramUpper(Y, k, from, to, out)` with the eight-row blocks in WebAssembly. */
  addGramUpper(Y: Float32Array, from: number, to: number, out: Float64Array): void {
    const { k } = this;
    const kp = this.layout.kp;
    const g = this.gramOut;
    const s = this.rows;
    g.fill(0);
    let r = from;
    for (; r + 8 <= to; r += 8) {
      for (let l = 0; l < 8; l++) {
        const o = (r + l) * k;
        const so = l * kp;
        for (let b = 0; b < k; b++) s[so + b] = Y[o + b];
      }
      this.fGram(this.layout.rows, this.layout.gram);
    }
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[a * k + b] += g[a * kp + b];
    addGramRows(Y, k, r, to, out);
  }
}

/** Whether this runtime can compile the kernels (WebAssembly with fixed-width SIMD). */
export function wasmKernelsAvailable(): boolean {
  try {
    return wasmApi !== undefined && wasmApi.validate(kernelModuleBytes(2));
  } catch {
    return false;
  }
}
