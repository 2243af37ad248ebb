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

const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** The few instructions the kernels use (https://webassembly.github.io/spec/core/binary/instructions.html). */
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32 = (n: number): number[] => [0x41, ...sleb(n)];
const i32Add = [0x6a];
const i32Sub = [0x6b];
const i32Shl = [0x74];
const i32And = [0x71];
const i32LtU = [0x49];
const i32LtS = [0x48];
const i32Mul = [0x6c];
const loop = [0x03, 0x40];
const end = [0x0b];
const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];
const v128Load = (offset: number): number[] => simd(0x00, 4, ...uleb(offset));
const v128Store = (offset: number): number[] => simd(0x0b, 4, ...uleb(offset));
const load64Splat = (offset: number): number[] => simd(0x0a, 3, ...uleb(offset));
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));
const f64x2Add = simd(0xf0);
const f64x2Lane = (lane: number): number[] => simd(0x21, lane);
const f64x2Splat = simd(0x14);
const f64Load = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];
const f64Add = [0xa0];
const f64Mul = [0xa2];
const i32Eqz = [0x45];
const block = [0x02, 0x40];
const f64x2Mul = simd(0xf2);
/** local += constant (i32). */
const bump = (i: number, n: number): number[] => [...get(i), ...i32(n), ...i32Add, ...set(i)];

/**
 * symv4(g, v, o): O[a·4 + l] = Σ_b G[a·kp + b]·V[b·4 + l], two rows of G per pass over V.
 * Locals: 0 g, 1 v, 2 o | 3 vp, 4 rowPairs, 5 b | 6..9 acc (rows a, a+1 × lanes 0–1, 2–3) | 10 s0, 11 s1.
 */
function symv4Body(kp: number): number[] {
  const row = kp * 8;
  const madd = (acc: number, s: number, voff: number): number[] => [
    ...get(acc),
    ...get(s),
    ...get(3),
    ...v128Load(voff),
    ...f64x2Mul,
    ...f64x2Add,
    ...set(acc),
  ];
  return [
    ...[0x02, 3, I32, 6, V128], // locals: 3 × i32, 6 × v128
    ...i32(kp / 2),
    ...set(4),
    ...loop,
    ...[6, 7, 8, 9].flatMap((a) => [...v128Zero, ...set(a)]),
    ...get(1),
    ...set(3),
    ...i32(kp),
    ...set(5),
    ...loop,
    ...get(0),
    ...load64Splat(0),
    ...set(10),
    ...get(0),
    ...load64Splat(row),
    ...set(11),
    ...madd(6, 10, 0),
    ...madd(7, 10, 16),
    ...madd(8, 11, 0),
    ...madd(9, 11, 16),
    ...bump(0, 8),
    ...bump(3, 32),
    ...get(5),
    ...i32(1),
    ...i32Sub,
    ...tee(5),
    ...brIf(0),
    ...end,
    ...bump(0, row), // skip row a + 1
    ...[6, 7, 8, 9].flatMap((a, j) => [...get(2), ...get(a), ...v128Store(16 * j)]),
    ...bump(2, 64),
    ...get(4),
    ...i32(1),
    ...i32Sub,
    ...tee(4),
    ...brIf(0),
    ...end,
    ...end,
  ];
}

/**
 * gram8(s, out): out[a·kp + b] += Σ_l S_l[a]·S_l[b] for a < k and b ≥ a rounded down to even
 * (one entry below the diagonal may be touched: `finishGram` overwrites the lower triangle).
 * S_l = eight rows of kp doubles at s + l·kp·8. Locals: 0 s, 1 out | 2 a, 3 yp, 4 op, 5 end,
 * 6 tmp | 7..14 splats of S_l[a].
 */
function gram8Body(k: number, kp: number): number[] {
  const row = kp * 8;
  const sum: number[] = [];
  for (let l = 0; l < 8; l++) {
    sum.push(...get(7 + l), ...get(3), ...v128Load(l * row), ...f64x2Mul);
    if (l > 0) sum.push(...f64x2Add);
  }
  return [
    ...[0x02, 5, I32, 8, V128],
    ...i32(0),
    ...set(2),
    ...get(0),
    ...i32(row),
    ...i32Add,
    ...set(5), // end of row 0 = s + kp·8
    ...loop,
    // tmp = s + a·8; splats
    ...get(0),
    ...get(2),
    ...i32(3),
    ...i32Shl,
    ...i32Add,
    ...set(6),
    ...Array.from({ length: 8 }, (_, l) => [...get(6), ...load64Splat(l * row), ...set(7 + l)]).flat(),
    // yp = s + (a & ~1)·8; op = out + (a·kp + (a & ~1))·8
    ...get(0),
    ...get(2),
    ...i32(-2),
    ...i32And,
    ...i32(3),
    ...i32Shl,
    ...tee(3),
    ...i32Add,
    ...set(3),
    ...get(1),
    ...get(2),
    ...i32(row),
    ...i32Mul,
    ...i32Add,
    ...get(3),
    ...get(0),
    ...i32Sub,
    ...i32Add,
    ...set(4),
    ...loop,
    ...get(4),
    ...get(4),
    ...v128Load(0),
    ...sum,
    ...f64x2Add,
    ...v128Store(0),
    ...bump(4, 16),
    ...bump(3, 16),
    ...get(3),
    ...get(5),
    ...i32LtU,
    ...brIf(0),
    ...end,
    ...bump(2, 1),
    ...get(2),
    ...i32(k),
    ...i32LtS,
    ...brIf(0),
    ...end,
    ...end,
  ];
}

/**
 * rowsAx(y, c, n) with dot: acc += Σ_e c_e·(y_e·v)·y_e; without: acc += Σ_e c_e·y_e, over n
 * gathered rows y_e (kp doubles each, from address y) and coefficients c_e (from address c); v and
 * acc are the fixed lane vectors. Loops over the kp/2 pairs are unrolled (k is a constant).
 * Locals: 0 y, 1 c, 2 n | 3 d0, 4 d1, 5 splat.
 */
function rowsBody(kp: number, v: number, acc: number, withDot: boolean): number[] {
  const pairs = kp / 2;
  const dot: number[] = [];
  if (withDot) {
    dot.push(...v128Zero, ...set(3), ...v128Zero, ...set(4));
    for (let j = 0; j < pairs; j++) {
      const d = 3 + (j & 1);
      dot.push(...get(d), ...get(0), ...v128Load(16 * j), ...i32(0), ...v128Load(v + 16 * j));
      dot.push(...f64x2Mul, ...f64x2Add, ...set(d));
    }
    dot.push(...get(3), ...get(4), ...f64x2Add, ...tee(3), ...f64x2Lane(0), ...get(3), ...f64x2Lane(1));
    dot.push(...f64Add, ...get(1), ...f64Load(0), ...f64Mul, ...f64x2Splat, ...set(5));
  } else {
    dot.push(...get(1), ...load64Splat(0), ...set(5));
  }
  const axpy: number[] = [];
  for (let j = 0; j < pairs; j++) {
    axpy.push(...i32(0), ...i32(0), ...v128Load(acc + 16 * j), ...get(5), ...get(0), ...v128Load(16 * j));
    axpy.push(...f64x2Mul, ...f64x2Add, ...v128Store(acc + 16 * j));
  }
  return [
    ...[0x01, 3, V128],
    ...block,
    ...get(2),
    ...i32Eqz,
    ...brIf(0),
    ...loop,
    ...dot,
    ...axpy,
    ...bump(0, kp * 8),
    ...bump(1, 8),
    ...get(2),
    ...i32(1),
    ...i32Sub,
    ...tee(2),
    ...brIf(0),
    ...end,
    ...end,
    ...end,
  ];
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

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
    for (; r < to; r++) {
      const o = r * k;
      for (let a = 0; a < k; a++) {
        const ya = Y[o + a];
        const row = a * k;
        for (let b = a; b < k; b++) out[row + b] += ya * Y[o + b];
      }
    }
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
