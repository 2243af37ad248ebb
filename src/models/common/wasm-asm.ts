/**
 * A minimal WebAssembly binary assembler for the kernels assembled at run time (ALS `wasm-kernels.ts`,
 * Item2Vec `sgns-wasm.ts`; no toolchain): LEB128 numbers, the handful of instructions the kernels
 * use, and module sections. Each helper returns the bytes of
 * one instruction or section, as in the binary format spec
 * (https://webassembly.github.io/spec/core/binary/).
 */
export const I32 = 0x7f;
export const V128 = 0x7b;
export const F64 = 0x7c;
export const F32 = 0x7d;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
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
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32 = (n: number): number[] => [0x41, ...sleb(n)];
export const i32Add = [0x6a];
export const i32Sub = [0x6b];
export const i32Shl = [0x74];
export const i32And = [0x71];
export const i32LtU = [0x49];
export const i32LtS = [0x48];
export const i32Mul = [0x6c];
export const loop = [0x03, 0x40];
export const end = [0x0b];
export const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
export const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];
export const v128Load = (offset: number): number[] => simd(0x00, 4, ...uleb(offset));
export const v128Store = (offset: number): number[] => simd(0x0b, 4, ...uleb(offset));
export const load64Splat = (offset: number): number[] => simd(0x0a, 3, ...uleb(offset));
export const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));
export const f64x2Add = simd(0xf0);
export const f64x2Lane = (lane: number): number[] => simd(0x21, lane);
export const f64x2Splat = simd(0x14);
export const f64Load = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];
export const f64Add = [0xa0];
export const f64Mul = [0xa2];
export const i32Eqz = [0x45];
export const block = [0x02, 0x40];
export const f64x2Mul = simd(0xf2);
// f32x4 and scalar float instructions (Item2Vec's SGNS kernel).
export const f32x4Splat = simd(0x13);
export const f32x4Lane = (lane: number): number[] => simd(0x1f, lane);
export const f32x4Add = simd(0xe4);
export const f32x4Sub = simd(0xe5);
export const f32x4Mul = simd(0xe6);
export const i32Load = (offset: number): number[] => [0x28, 2, ...uleb(offset)];
export const f32Add = [0x92];
export const f64Sub = [0xa1];
export const f64Div = [0xa3];
export const f64Neg = [0x9a];
export const f64Abs = [0x99];
export const f64Lt = [0x63];
export const f64Max = [0xa5];
export const f64PromoteF32 = [0xbb];
export const f32DemoteF64 = [0xb6];
export const i32Eq = [0x46];
export const select = [0x1b];
export const f64Min = [0xa4];
export const f64Store = (offset: number): number[] => [0x39, 3, ...uleb(offset)];
export const f32Load = (offset: number): number[] => [0x2a, 2, ...uleb(offset)];
export const f32Store = (offset: number): number[] => [0x38, 2, ...uleb(offset)];
export const f32Ne = [0x5c];
export const load32Splat = (offset: number): number[] => simd(0x09, 2, ...uleb(offset));
export const f64Nearest = [0x9e];
export const i64TruncF64S = [0xb0];
export const i64 = (n: number): number[] => [0x42, ...sleb(n)];
export const i64Add = [0x7c];
export const i64Shl = [0x86];
export const f64ReinterpretI64 = [0xbf];
/** `if` without a result (blocktype empty), `else`. */
export const ifVoid = [0x04, 0x40];
export const elseOp = [0x05];
export const call = (f: number): number[] => [0x10, ...uleb(f)];
/** f64.const (IEEE 754 little-endian bytes). */
export const f64Const = (x: number): number[] => {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [0x44, ...b];
};
/** local += constant (i32). */
export const bump = (i: number, n: number): number[] => [...get(i), ...i32(n), ...i32Add, ...set(i)];

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
