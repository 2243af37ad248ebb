/**
 * The sentence loop of the SGNS kernel (`sgns-kernel.ts` `trainSentences`: subsampling, window
 * sampling, negative draws, α decay — the same random draws in the same order) with each pair's
 * update done by the WebAssembly kernel of `sgns-wasm.ts`. syn0/syn1 of the state must be the views
 * of the kernel's memory at `layout.syn0` / `layout.syn1`.
 *
 * Cost: as `trainSentences`; the JavaScript part per pair is the `negative` alias draws.
 */
import type { Rng } from '../../../core/rng.js';
import { subsample, type SgnsScratch, type SgnsState, type SgnsStats } from './sgns-kernel.js';
import { sgnsPairFunctions, type PairFn, type SgnsLayout, type WasmMemory } from './sgns-wasm.js';

/** One thread's handle on the WebAssembly kernel: its instance, scratch slot and views. */
export interface SgnsWasmThread {
  readonly pairSeq: PairFn;
  readonly pairBatch: PairFn;
  readonly layout: SgnsLayout;
  /** Byte offset of this thread's scratch slot (its targets array first). */
  readonly slotAt: number;
  /** View of the targets array (int32 byte offsets of syn1 rows). */
  readonly targets: Int32Array;
}

/** Instantiates the kernel over `memory` for the thread owning scratch slot `slot`. */
export function sgnsWasmThread(memory: WasmMemory, layout: SgnsLayout, slot: number): SgnsWasmThread {
  if (slot < 0 || slot >= layout.slots) throw new Error(`sgns wasm: no scratch slot ${slot}`);
  const base = layout.scratch + slot * layout.slot.bytes;
  return {
    ...sgnsPairFunctions(memory, layout),
    layout,
    slotAt: base,
    targets: new Int32Array(memory.buffer, base, layout.negative + 1),
  };
}

/** `trainSentences` with the pair updates in WebAssembly (float32 SIMD; see `sgns-wasm.ts`). */
export function trainSentencesWasm(
  st: SgnsState,
  scratch: SgnsScratch,
  k: SgnsWasmThread,
  rng: Rng,
  from: number,
  to: number,
  alphaStart: number,
  alphaEnd: number,
): SgnsStats {
  const { dim, window, negative, offsets, aliasProb, aliasIdx } = st;
  const { kept, keptW } = scratch;
  const { pairSeq, pairBatch, targets, slotAt } = k;
  const rowBytes = dim * 4;
  const syn0 = k.layout.syn0;
  const syn1 = k.layout.syn1;
  const nItems = aliasIdx.length;
  const total = Math.max(1, offsets[to] - offsets[from]);
  let words = 0;
  let pairs = 0;
  let loss = 0;
  for (let s = from; s < to; s++) {
    const alpha = alphaStart + ((alphaEnd - alphaStart) * words) / total;
    const a = offsets[s];
    const b = offsets[s + 1];
    words += b - a;
    const n = subsample(st, scratch, rng, a, b);
    for (let c = 0; c < n; c++) {
      const w = window - rng.int(window);
      const lo = c - w < 0 ? 0 : c - w;
      const hi = c + w + 1 > n ? n : c + w + 1;
      const centre = kept[c];
      const wc = keptW[c];
      for (let x = lo; x < hi; x++) {
        if (x === c) continue;
        const wx = keptW[x];
        const step = alpha * (wx > wc ? wx : wc);
        targets[0] = syn1 + centre * rowBytes;
        let m = 1;
        let repeat = false;
        for (let d = 1; d <= negative; d++) {
          const u = rng.next() * nItems;
          const col = u | 0;
          const target = u - col < aliasProb[col] ? col : aliasIdx[col];
          if (target === centre) continue;
          const row = syn1 + target * rowBytes;
          for (let q = 1; q < m; q++) if (targets[q] === row) repeat = true;
          targets[m++] = row;
        }
        // Distinct targets: the batched kernel (same arithmetic); a repeated negative: in turn.
        const row0 = syn0 + kept[x] * rowBytes;
        const product = repeat ? pairSeq(row0, slotAt, m, step) : pairBatch(row0, slotAt, m, step);
        loss -= Math.log(product);
        pairs++;
      }
    }
  }
  return { words, pairs, loss };
}
