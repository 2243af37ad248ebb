/**
 * BPR fold-in of a user unseen at training: SGD on the user vector alone (item factors and biases
 * fixed) over (history item, sampled negative) pairs, starting from zero. Seeded from the history
 * itself, so the same history always gives the same vector. Cost O(epochs·|history|·k).
 */
import { Rng } from '../../../core/rng.js';

export function foldInUser(
  V: Float32Array,
  B: Float32Array | null,
  items: Int32Array,
  weights: Float32Array,
  nItems: number,
  k: number,
  opts: { epochs: number; lr: number; reg: number },
): Float32Array {
  let h = 0x811c9dc5;
  for (let t = 0; t < items.length; t++) h = Math.imul(h ^ items[t], 0x01000193);
  const rng = new Rng(h >>> 0);
  const seen = new Set<number>(items);
  let wmax = 0;
  for (let t = 0; t < weights.length; t++) wmax = Math.max(wmax, weights[t]);
  const x = new Float64Array(k);
  for (let e = 0; e < opts.epochs; e++) {
    for (let t = 0; t < items.length; t++) {
      const i = items[t];
      let j = rng.int(nItems);
      if (seen.size < nItems) while (seen.has(j)) j = rng.int(nItems);
      else continue;
      let s = B ? B[i] - B[j] : 0;
      for (let a = 0; a < k; a++) s += x[a] * (V[i * k + a] - V[j * k + a]);
      // stronger interactions take proportionally larger steps
      const z = (1 / (1 + Math.exp(s))) * (weights[t] / wmax);
      for (let a = 0; a < k; a++) x[a] += opts.lr * (z * (V[i * k + a] - V[j * k + a]) - opts.reg * x[a]);
    }
  }
  return Float32Array.from(x);
}
