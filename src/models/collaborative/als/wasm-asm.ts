/**
 * A minimal WebAssembly binary assembler for the ALS kernels (`wasm-kernels.ts`): LEB128 numbers,
 * the handful of instructions the kernels use, and module sections. Each helper returns the bytes of
 * one instruction or section, as in the binary format spec
 * (https://webassembly.github.io/spec/core/binary/).
 */
export const I32 = 0x7f;
export const V128 = 0x7b;

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
/** local += constant (i32). */
export const bump = (i: number, n: number): number[] => [...get(i), ...i32(n), ...i32Add, ...set(i)];

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
