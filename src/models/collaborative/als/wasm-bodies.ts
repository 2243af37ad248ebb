/**
 * The instruction sequences of the ALS WebAssembly kernels (`wasm-kernels.ts` assembles them into a
 * module): `symv4`, `gram8` and the gathered-row products `rowsAx` / `rowsSum`. Each returns the
 * body of one function for a given (padded) dimension; see each function for its locals and order
 * of operations (the JavaScript reference adds in the same order).
 */
import {
  I32,
  V128,
  get,
  set,
  tee,
  i32,
  i32Add,
  i32Sub,
  i32Shl,
  i32And,
  i32LtU,
  i32LtS,
  i32Mul,
  loop,
  end,
  brIf,
  v128Load,
  v128Store,
  load64Splat,
  v128Zero,
  f64x2Add,
  f64x2Lane,
  f64x2Splat,
  f64Load,
  f64Add,
  f64Mul,
  i32Eqz,
  block,
  f64x2Mul,
  bump,
} from '../../common/wasm-asm.js';

/**
 * symv4(g, v, o): O[a·4 + l] = Σ_b G[a·kp + b]·V[b·4 + l], two rows of G per pass over V.
 * Locals: 0 g, 1 v, 2 o | 3 vp, 4 rowPairs, 5 b | 6..9 acc (rows a, a+1 × lanes 0–1, 2–3) | 10 s0, 11 s1.
 */
export function symv4Body(kp: number): number[] {
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
export function gram8Body(k: number, kp: number): number[] {
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
export function rowsBody(kp: number, v: number, acc: number, withDot: boolean): number[] {
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
