/**
 * The SGNS pair update of Item2Vec (`sgns-kernel.ts`) in WebAssembly SIMD (f32x4), assembled from
 * bytes at run time with `../../common/wasm-asm.ts` (no toolchain). One call trains one (context,
 * centre) pair against its targets — the centre (label 1) then the drawn negatives (label 0):
 *
 *   for each target t: f = syn0[x]·syn1[t]; σ = 1/(1+e^−f); loss −= log max(p, 1e−7);
 *                      if |f| < MAX_EXP: g = (label − σ)·step; e += g·syn1[t]; syn1[t] += g·syn0[x]
 *   syn0[x] += e
 *
 * exactly the order of the JavaScript kernel, but with float32 arithmetic (as word2vec.c / gensim):
 * the dot product is summed in two f32x4 (eight float32) partial sums, `e` is float32 and the row updates
 * round after the multiply (`pairBatch` computes all dot products before the updates, which is the
 * same arithmetic when the targets are distinct; see `sgns-wasm-bodies.ts`). σ is float64 with e^x computed in the module (`expF64`, relative error
 * < 3e-10); the loss is returned as the product of the pair's clamped probabilities (the caller
 * takes one log per pair). Results therefore differ from the JavaScript reference by rounding
 * only; a test checks the agreement with a tolerance.
 *
 * Memory: one (shared, when threads > 1) `WebAssembly.Memory` holds syn0 (nItems × dim float32),
 * syn1 (the same) and one scratch slot per thread (the targets' byte offsets, int32, and `e`, dim
 * float32). The module is specialised for one dim (a multiple of 4; row offsets are constants) and
 * imports the memory, so every worker thread instantiates it over the same parameters (Hogwild).
 * Cost per pair: (1 + negative) · 3 · dim / 4 vector multiply-adds.
 */
import { F64, I32, name, section, uleb, vec } from '../../common/wasm-asm.js';
import { pairBatchBody, pairSeqBody, slotLayout, type SlotLayout } from './sgns-wasm-bodies.js';

/** Module bytes for (dim, negative): imports env.mem; exports `pairSeq` and `pairBatch`. */
export function sgnsModuleBytes(dim: number, negative: number, shared: boolean): Uint8Array {
  if (dim % 4 !== 0) throw new Error(`sgns wasm: dim ${dim} is not a multiple of 4`);
  const body = (code: number[]): number[] => [...uleb(code.length), ...code];
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, 4, I32, I32, I32, F64, 1, F64]])),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, ...limits]])),
    ...section(3, vec([[0], [0]])),
    ...section(
      7,
      vec([
        [...name('pairSeq'), 0x00, 0],
        [...name('pairBatch'), 0x00, 1],
      ]),
    ),
    ...section(10, vec([body(pairSeqBody(dim, negative)), body(pairBatchBody(dim, negative))])),
  ]);
}

/** The part of the WebAssembly JS API used here (the project's `lib` has no DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Byte layout of the SGNS memory: syn0, syn1, then `slots` scratch slots (one per thread). */
export interface SgnsLayout {
  dim: number;
  negative: number;
  syn0: number;
  syn1: number;
  /** Start of the scratch slots. */
  scratch: number;
  slots: number;
  slot: SlotLayout;
  bytes: number;
}

/** Largest kernel memory used (2 GiB: byte offsets stay positive int32). */
export const SGNS_WASM_MAX_BYTES = 2 ** 31;

/** The memory layout for nItems × dim matrices and `slots` threads. */
export function sgnsLayout(nItems: number, dim: number, negative: number, slots: number): SgnsLayout {
  const matrix = Math.ceil((nItems * dim * 4) / 128) * 128;
  const slot = slotLayout(dim, negative);
  const scratch = 2 * matrix;
  return { dim, negative, syn0: 0, syn1: matrix, scratch, slots, slot, bytes: scratch + slots * slot.bytes };
}

/** A memory for `layout` (shared when it is to be used by several threads). */
export function sgnsMemory(layout: SgnsLayout, shared: boolean): WasmMemory {
  if (!wasmApi) throw new Error('WebAssembly is not available');
  const pages = Math.max(1, Math.ceil(layout.bytes / 65536));
  return new wasmApi.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
}

/** `(x0, slot, n, step) → Π max(p_t, 1e−7)`: one pair's update (see `sgns-wasm-bodies.ts`). */
export type PairFn = (x0: number, slot: number, n: number, step: number) => number;

const modules = new Map<string, object>();

/** One thread's instance of the kernel over `memory`. */
export function sgnsPairFunctions(
  memory: WasmMemory,
  layout: SgnsLayout,
): { pairSeq: PairFn; pairBatch: PairFn } {
  if (!wasmApi) throw new Error('WebAssembly is not available');
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const key = `${layout.dim}/${layout.negative}/${shared}`;
  let mod = modules.get(key);
  if (!mod) {
    mod = new wasmApi.Module(sgnsModuleBytes(layout.dim, layout.negative, shared));
    modules.set(key, mod);
  }
  const inst = new wasmApi.Instance(mod, { env: { mem: memory } });
  return inst.exports as { pairSeq: PairFn; pairBatch: PairFn };
}

const available = new Map<number, boolean>();

/** Whether this runtime can run the kernel for `dim` (WebAssembly with SIMD and shared memory). */
export function sgnsWasmAvailable(dim: number): boolean {
  let ok = available.get(dim);
  if (ok === undefined) {
    ok = validates(dim);
    available.set(dim, ok);
  }
  return ok;
}

function validates(dim: number): boolean {
  try {
    return (
      dim % 4 === 0 &&
      wasmApi !== undefined &&
      typeof SharedArrayBuffer !== 'undefined' &&
      wasmApi.validate(sgnsModuleBytes(dim, 5, true)) &&
      wasmApi.validate(sgnsModuleBytes(dim, 5, false))
    );
  } catch {
    return false;
  }
}
