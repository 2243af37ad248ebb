/**
 * Instruction sequences of the Item2Vec WebAssembly kernel (`sgns-wasm.ts` assembles the module):
 * `pairSeq`, the SGNS pair update target after target exactly in the order of the JavaScript
 * kernel, and `pairBatch`, the same update with the dot products of all targets first, then their
 * σ, then the row updates — equal to `pairSeq` when the targets are distinct (no target's row is
 * updated before another target's dot product reads it), and faster because the σ of the targets
 * are independent and overlap in the pipeline. The caller uses `pairSeq` when a negative repeats.
 *
 * Both: `(x0, s, n, step) → Π_t max(p_t, 1e−7)` with x0 the byte offset of syn0[x], s the thread's
 * scratch slot (`slotLayout`): n int32 byte offsets of syn1 rows (the centre first, label 1; then
 * the negatives, label 0), n f64 dot products, n f32 gradients g_t and the float32 vector e.
 * Params: 0 x0, 1 s, 2 n, 3 step | locals: 4 i, 5 t | 6 f, 7 sig, 8 product, 9 unused, 10 kf, 11 r |
 * 12, 13 partial sums, 14 g splat, 15 row.
 */
import {
  F64,
  I32,
  V128,
  brIf,
  end,
  f32Add,
  f32DemoteF64,
  f32Load,
  f32Ne,
  f32Store,
  f32x4Add,
  f32x4Lane,
  f32x4Mul,
  f32x4Splat,
  f64Abs,
  f64Add,
  f64Const,
  f64Div,
  f64Load,
  f64Lt,
  f64Max,
  f64Min,
  f64Mul,
  f64Nearest,
  f64Neg,
  f64PromoteF32,
  f64ReinterpretI64,
  f64Store,
  f64Sub,
  get,
  i32,
  i32Add,
  i32Eqz,
  i32Load,
  i32LtS,
  i32Shl,
  i64,
  i64Add,
  i64Shl,
  i64TruncF64S,
  ifVoid,
  load32Splat,
  loop,
  select,
  set,
  v128Load,
  v128Store,
  v128Zero,
  bump,
} from '../../common/wasm-asm.js';
import { MAX_EXP } from './sgns-kernel.js';

/** Byte offsets inside one thread's scratch slot (16-byte aligned parts; 128-byte slots). */
export interface SlotLayout {
  targets: number;
  f: number;
  g: number;
  e: number;
  bytes: number;
}

/** Layout of one thread's scratch slot for (dim, negative). */
export function slotLayout(dim: number, negative: number): SlotLayout {
  const up = (b: number): number => Math.ceil(b / 16) * 16;
  const n = negative + 1;
  const f = up(4 * n);
  const g = f + up(8 * n);
  const e = g + up(4 * n);
  // Slots of different threads never share a cache line (no false sharing between workers).
  return { targets: 0, f, g, e, bytes: Math.ceil((e + dim * 4) / 128) * 128 };
}

/** ln 2 split in a high part with trailing zero bits and the rest (fdlibm's `ln2HI` / `ln2LO`). */
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** Degree of the Taylor polynomial of e^r on |r| ≤ ln2 / 2 (relative error < 3e-10). */
const EXP_DEGREE = 8;

/**
 * e^x for the f64 on the stack, leaving e^x there (uses f64 locals kf, r): x clamped to [−60, 60]
 * (σ is saturated beyond and the loss is clamped at 1e−7), x = k·ln2 + r with k = round(x / ln2),
 * e^r by Horner on its Taylor series, times 2^k built from the exponent bits. Relative error
 * < 3e-10, far below the float32 rounding of the kernel.
 */
export function expF64(kf: number, r: number): number[] {
  const code: number[] = [...f64Const(-60), ...f64Max, ...f64Const(60), ...f64Min, ...set(r)];
  code.push(...get(r), ...f64Const(Math.LOG2E), ...f64Mul, ...f64Nearest, ...set(kf));
  code.push(...get(r), ...get(kf), ...f64Const(LN2_HI), ...f64Mul, ...f64Sub);
  code.push(...get(kf), ...f64Const(LN2_LO), ...f64Mul, ...f64Sub, ...set(r));
  let fact = 1;
  for (let d = 2; d <= EXP_DEGREE; d++) fact *= d;
  code.push(...f64Const(1 / fact));
  for (let d = EXP_DEGREE - 1; d >= 0; d--) {
    fact /= d + 1;
    code.push(...get(r), ...f64Mul, ...f64Const(1 / fact), ...f64Add);
  }
  code.push(...get(kf), ...i64TruncF64S, ...i64(1023), ...i64Add, ...i64(52), ...i64Shl);
  code.push(...f64ReinterpretI64, ...f64Mul);
  return code;
}

const X0 = 0;
const S = 1;
const N = 2;
const STEP = 3;
const I = 4;
const T = 5;
const F = 6;
const SIG = 7;
const PROD = 8;
const KF = 10;
const R = 11;
const A0 = 12;
const A1 = 13;
const GV = 14;
const ROW = 15;
const LOCALS = [0x03, 2, I32, 6, F64, 4, V128];
const at = (c: number): number => 16 * c;

/** Address s + (i << shift) on the stack. */
const slotAt = (shift: number): number[] => [...get(S), ...get(I), ...i32(shift), ...i32Shl, ...i32Add];

/** f = syn0[x]·syn1[t]: two f32x4 partial sums, then ((l0 + l1) + (l2 + l3)) promoted to f64. */
function dot(chunks: number): number[] {
  const code: number[] = [...v128Zero, ...set(A0), ...v128Zero, ...set(A1)];
  for (let c = 0; c < chunks; c++) {
    const acc = A0 + (c & 1);
    code.push(...get(acc), ...get(X0), ...v128Load(at(c)), ...get(T), ...v128Load(at(c)));
    code.push(...f32x4Mul, ...f32x4Add, ...set(acc));
  }
  code.push(...get(A0), ...get(A1), ...f32x4Add, ...set(A0));
  code.push(...get(A0), ...f32x4Lane(0), ...get(A0), ...f32x4Lane(1), ...f32Add);
  code.push(...get(A0), ...f32x4Lane(2), ...get(A0), ...f32x4Lane(3), ...f32Add, ...f32Add);
  return [...code, ...f64PromoteF32, ...set(F)];
}

/** sig = 1 / (1 + e^−f); product ·= max(label ? sig : 1 − sig, 1e−7) with label = (i == 0). */
function sigmoidAndLoss(): number[] {
  const code = [...f64Const(1), ...f64Const(1), ...get(F), ...f64Neg, ...expF64(KF, R)];
  code.push(...f64Add, ...f64Div, ...set(SIG));
  code.push(
    ...get(PROD),
    ...get(SIG),
    ...f64Const(1),
    ...get(SIG),
    ...f64Sub,
    ...get(I),
    ...i32Eqz,
    ...select,
  );
  return [...code, ...f64Const(1e-7), ...f64Max, ...f64Mul, ...set(PROD)];
}

/** g = (label − sig)·step on the stack (f64). */
const gradient = (): number[] => [
  ...[...f64Const(1), ...f64Const(0), ...get(I), ...i32Eqz, ...select],
  ...[...get(SIG), ...f64Sub, ...get(STEP), ...f64Mul],
];

/** |f| < MAX_EXP on the stack. */
const unsaturated = (): number[] => [...get(F), ...f64Abs, ...f64Const(MAX_EXP), ...f64Lt];

/** e += g·syn1[t]; syn1[t] += g·syn0[x] with g splat in GV (e at s + e.offset). */
function updateRows(chunks: number, eOff: number): number[] {
  const code: number[] = [];
  for (let c = 0; c < chunks; c++) {
    code.push(...get(T), ...v128Load(at(c)), ...set(ROW));
    code.push(...get(S), ...get(S), ...v128Load(eOff + at(c)), ...get(GV), ...get(ROW), ...f32x4Mul);
    code.push(...f32x4Add, ...v128Store(eOff + at(c)));
    code.push(...get(T), ...get(ROW), ...get(GV), ...get(X0), ...v128Load(at(c)), ...f32x4Mul);
    code.push(...f32x4Add, ...v128Store(at(c)));
  }
  return code;
}

const zeroE = (chunks: number, eOff: number): number[] =>
  Array.from({ length: chunks }, (_, c) => [...get(S), ...v128Zero, ...v128Store(eOff + at(c))]).flat();

/** syn0[x] += e, then the product is returned. */
function addEAndReturn(chunks: number, eOff: number): number[] {
  const code: number[] = [];
  for (let c = 0; c < chunks; c++) {
    code.push(...get(X0), ...get(X0), ...v128Load(at(c)), ...get(S), ...v128Load(eOff + at(c)));
    code.push(...f32x4Add, ...v128Store(at(c)));
  }
  return [...code, ...get(PROD), ...end];
}

const nextI = (): number[] => [...bump(I, 1), ...get(I), ...get(N), ...i32LtS, ...brIf(0), ...end];

/** `pairSeq`: each target's dot, σ and row updates in turn (the JavaScript kernel's order). */
export function pairSeqBody(dim: number, negative: number): number[] {
  const chunks = dim / 4;
  const L = slotLayout(dim, negative);
  const code = [...LOCALS, ...zeroE(chunks, L.e), ...f64Const(1), ...set(PROD), ...loop];
  code.push(...slotAt(2), ...i32Load(L.targets), ...set(T), ...dot(chunks), ...sigmoidAndLoss());
  code.push(...unsaturated(), ...ifVoid, ...gradient(), ...f32DemoteF64, ...f32x4Splat, ...set(GV));
  code.push(...updateRows(chunks, L.e), ...end, ...nextI());
  return [...code, ...addEAndReturn(chunks, L.e)];
}

/** `pairBatch`: all dots, then all σ and gradients (0 when saturated), then the row updates. */
export function pairBatchBody(dim: number, negative: number): number[] {
  const chunks = dim / 4;
  const L = slotLayout(dim, negative);
  const code = [...LOCALS, ...f64Const(1), ...set(PROD)];
  // f_i = syn0[x]·syn1[t_i]
  code.push(...loop, ...slotAt(2), ...i32Load(L.targets), ...set(T), ...dot(chunks));
  code.push(...slotAt(3), ...get(F), ...f64Store(L.f), ...nextI());
  // g_i = |f_i| < MAX_EXP ? (label − σ_i)·step : 0 (float32)
  code.push(...i32(0), ...set(I), ...loop, ...slotAt(3), ...f64Load(L.f), ...set(F), ...sigmoidAndLoss());
  code.push(...slotAt(2), ...gradient(), ...f64Const(0), ...unsaturated(), ...select, ...f32DemoteF64);
  code.push(...f32Store(L.g), ...nextI());
  // rows of the targets with g ≠ 0
  code.push(...zeroE(chunks, L.e), ...i32(0), ...set(I), ...loop);
  code.push(...slotAt(2), ...f32Load(L.g), ...f64Const(0), ...f32DemoteF64, ...f32Ne, ...ifVoid);
  code.push(...slotAt(2), ...load32Splat(L.g), ...set(GV), ...slotAt(2), ...i32Load(L.targets), ...set(T));
  code.push(...updateRows(chunks, L.e), ...end, ...nextI());
  return [...code, ...addEAndReturn(chunks, L.e)];
}
