import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { makeScratch, trainSentences } from './sgns-kernel.js';
import { sgnsPairLoss, sgnsPairStep, trainSentencesReference } from './sgns-reference.js';
import { copyState, smallState } from './sgns-test-state.js';

describe('SGNS kernel', () => {
  it('gives exactly the parameters and statistics of the reference kernel for a seed', () => {
    // dim 8 runs the unrolled loops only, dim 7 their remainder too.
    for (const [seed, dim] of [
      [1, 8],
      [2, 7],
      [3, 8],
    ]) {
      const fast = smallState(seed, dim);
      const ref = copyState(fast);
      const nSent = fast.offsets.length - 1;
      const a = trainSentences(fast, makeScratch(fast), new Rng(seed + 10), 0, nSent, 0.05, 0.01);
      const b = trainSentencesReference(ref, new Rng(seed + 10), 0, nSent, 0.05, 0.01);
      expect(a.pairs).toBeGreaterThan(50);
      expect([a.words, a.pairs]).toEqual([b.words, b.pairs]);
      expect(a.loss).toBeCloseTo(b.loss, 9); // summed in a different order
      expect(fast.syn0).toEqual(ref.syn0);
      expect(fast.syn1).toEqual(ref.syn1);
    }
  });

  it('lowers the training loss over repeated epochs', () => {
    const st = smallState(4);
    const scratch = makeScratch(st);
    const rng = new Rng(9);
    const nSent = st.offsets.length - 1;
    const first = trainSentences(st, scratch, rng, 0, nSent, 0.05, 0.05);
    let last = first;
    for (let e = 0; e < 20; e++) last = trainSentences(st, scratch, rng, 0, nSent, 0.05, 0.05);
    expect(last.loss / last.pairs).toBeLessThan((first.loss / first.pairs) * 0.95);
  });

  it('leaves saturated targets (|f| ≥ MAX_EXP) out of the step, as gensim', () => {
    const dim = 2;
    const syn0 = Float64Array.of(0, 0, 3, 3);
    const syn1 = Float64Array.of(1, 1, -2, -2, 0.1, 0.2); // f = 6 (centre 0), −12 (neg 1), 0.9 (neg 2)
    const a = syn0.slice();
    const b = syn1.slice();
    sgnsPairStep(a, b, dim, 1, [0, 1, 2], 0.1);
    expect(b.subarray(0, 4)).toEqual(syn1.subarray(0, 4));
    expect(b[4]).not.toBe(syn1[4]);
    // syn0 moves only by the unsaturated negative's gradient: −step · σ(0.9) · syn1[2].
    const g = -0.1 / (1 + Math.exp(-0.9));
    expect(a[2]).toBeCloseTo(3 + g * 0.1, 12);
    expect(a[3]).toBeCloseTo(3 + g * 0.2, 12);
  });

  it('takes a step of exactly −step × the finite-difference gradient of the pair loss', () => {
    const rng = new Rng(5);
    const dim = 6;
    const nItems = 7;
    const syn0 = Float64Array.from({ length: nItems * dim }, () => rng.normal() * 0.5);
    const syn1 = Float64Array.from({ length: nItems * dim }, () => rng.normal() * 0.5);
    const input = 2;
    const targets = [4, 0, 6, 1]; // centre first, then distinct negatives
    const loss = (a: Float64Array, b: Float64Array): number => sgnsPairLoss(a, b, dim, input, targets);
    const step = 1e-3;
    const a = syn0.slice();
    const b = syn1.slice();
    const before = sgnsPairStep(a, b, dim, input, targets, step);
    expect(before).toBeCloseTo(loss(syn0, syn1), 12);
    const h = 1e-6;
    const check = (params: Float64Array, updated: Float64Array, idx: number): void => {
      const saved = params[idx];
      params[idx] = saved + h;
      const up = loss(syn0, syn1);
      params[idx] = saved - h;
      const down = loss(syn0, syn1);
      params[idx] = saved;
      const numeric = (up - down) / (2 * h);
      const analytic = -(updated[idx] - saved) / step;
      expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
    };
    for (let j = 0; j < nItems * dim; j++) {
      check(syn0, a, j);
      check(syn1, b, j);
    }
    // Rows outside the pair do not move.
    expect(a.subarray(0, dim)).toEqual(syn0.subarray(0, dim));
    expect(b.subarray(3 * dim, 4 * dim)).toEqual(syn1.subarray(3 * dim, 4 * dim));
  });
});
