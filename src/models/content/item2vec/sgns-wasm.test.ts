import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { makeScratch, MAX_EXP, trainSentences, type SgnsState } from './sgns-kernel.js';
import { copyState, smallState } from './sgns-test-state.js';
import { sgnsLayout, sgnsMemory, sgnsWasmAvailable, type SgnsLayout } from './sgns-wasm.js';
import { sgnsWasmThread, trainSentencesWasm, type SgnsWasmThread } from './sgns-wasm-loop.js';

/** The state with syn0 / syn1 copied into a fresh kernel memory, and the kernel over it. */
function inWasm(st: SgnsState, shared = false): { st: SgnsState; k: SgnsWasmThread; layout: SgnsLayout } {
  const nItems = st.aliasIdx.length;
  const layout = sgnsLayout(nItems, st.dim, st.negative, 1);
  const memory = sgnsMemory(layout, shared);
  const syn0 = new Float32Array(memory.buffer, layout.syn0, nItems * st.dim);
  const syn1 = new Float32Array(memory.buffer, layout.syn1, nItems * st.dim);
  syn0.set(st.syn0);
  syn1.set(st.syn1);
  return { st: { ...st, syn0, syn1 }, k: sgnsWasmThread(memory, layout, 0), layout };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: Float32Array): number {
  return a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

describe.skipIf(!sgnsWasmAvailable(8))('SGNS WebAssembly kernel', () => {
  it('trains the parameters of the JavaScript kernel up to float32 rounding, with the same draws', () => {
    for (const [seed, dim, shared] of [
      [1, 8, false],
      [2, 12, true],
      [3, 16, false],
    ] as const) {
      const js = smallState(seed, dim);
      const w = inWasm(copyState(js), shared);
      const nSent = js.offsets.length - 1;
      let a = { words: 0, pairs: 0, loss: 0 };
      let b = a;
      for (let epoch = 0; epoch < 3; epoch++) {
        a = trainSentences(js, makeScratch(js), new Rng(seed + epoch), 0, nSent, 0.05, 0.01);
        b = trainSentencesWasm(w.st, makeScratch(w.st), w.k, new Rng(seed + epoch), 0, nSent, 0.05, 0.01);
      }
      expect(a.pairs).toBeGreaterThan(50);
      expect([b.words, b.pairs]).toEqual([a.words, a.pairs]);
      expect(Math.abs(b.loss - a.loss)).toBeLessThan(1e-5 * a.loss);
      expect(maxAbsDiff(w.st.syn0, js.syn0)).toBeLessThan(1e-5 * maxAbs(js.syn0));
      expect(maxAbsDiff(w.st.syn1, js.syn1)).toBeLessThan(1e-5 * maxAbs(js.syn1));
      expect(maxAbsDiff(w.st.syn1, copyState(smallState(seed, dim)).syn1)).toBeGreaterThan(0);
    }
  });

  it('gives bit-identical results with the batched and the in-turn pair update when targets are distinct', () => {
    const base = smallState(7, 16, 6);
    const one = inWasm(base);
    const two = inWasm(base);
    const rowBytes = 16 * 4;
    const targets = [3, 9, 0, 17, 25, 11, 4].map((t) => one.layout.syn1 + t * rowBytes);
    one.k.targets.set(targets);
    two.k.targets.set(targets);
    for (const step of [0.5, 0.05]) {
      const p1 = one.k.pairBatch(one.layout.syn0 + 5 * rowBytes, one.k.slotAt, targets.length, step);
      const p2 = two.k.pairSeq(two.layout.syn0 + 5 * rowBytes, two.k.slotAt, targets.length, step);
      expect(p1).toBe(p2);
      expect(p1).toBeGreaterThan(0);
      expect(one.st.syn0).toEqual(two.st.syn0);
      expect(one.st.syn1).toEqual(two.st.syn1);
    }
    expect(maxAbsDiff(one.st.syn1, base.syn1)).toBeGreaterThan(0);
  });

  it('computes σ, the clamped loss and the skip of saturated targets as the float64 formulas', () => {
    // dim 4, syn0[x] = (1, 0, 0, 0) and syn1[t] = (f_t, 0, 0, 0): every dot product is exactly f_t.
    const fs = Float32Array.of(-40, -7.5, -6, -5.99, -2.3, -0.01, 0, 0.7, 3.1, 5.5, 6, 9, 45);
    const st = smallState(1, 4, fs.length);
    const { st: w, k, layout } = inWasm(st);
    for (const kernel of ['pairSeq', 'pairBatch'] as const) {
      for (let label = 0; label < fs.length; label++) {
        w.syn0.fill(0);
        w.syn1.fill(0);
        w.syn0[0] = 1;
        // target i is row i; the one at position 0 has label 1.
        const order = [label, ...Array.from(fs.keys()).filter((i) => i !== label)];
        for (const t of order) w.syn1[t * 4] = fs[t];
        k.targets.set(order.map((t) => layout.syn1 + t * 16));
        const step = 0.1;
        const product = k[kernel](layout.syn0, k.slotAt, order.length, step);
        let expected = 1;
        let e0 = 0;
        order.forEach((t, i) => {
          const f = fs[t];
          const sig = 1 / (1 + Math.exp(-f));
          const p = i === 0 ? sig : 1 - sig;
          expected *= Math.max(p, 1e-7);
          const g = Math.abs(f) < MAX_EXP ? ((i === 0 ? 1 : 0) - sig) * step : 0;
          e0 += g * f;
          expect(w.syn1[t * 4]).toBeCloseTo(f + g, 6);
        });
        expect(Math.abs(product - expected)).toBeLessThan(1e-9 * expected);
        expect(w.syn0[0]).toBeCloseTo(1 + e0, 6);
      }
    }
  });
});
