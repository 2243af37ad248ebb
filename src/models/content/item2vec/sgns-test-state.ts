/** Test helper of the SGNS kernel tests: a small random training state. */
import { Rng } from '../../../core/rng.js';
import { keepProbabilities, unigramAlias } from './corpus.js';
import type { SgnsState } from './sgns-kernel.js';

/** A small random corpus with repeated items, mixed step weights and subsampling on. */
export function smallState(seed: number, dim = 8, negative = 4): SgnsState {
  const rng = new Rng(seed);
  const nItems = 30;
  const lengths = Array.from({ length: 40 }, () => 2 + rng.int(9));
  const offsets = new Int32Array(lengths.length + 1);
  lengths.forEach((l, s) => (offsets[s + 1] = offsets[s] + l));
  const tokens = Int32Array.from({ length: offsets[lengths.length] }, () =>
    Math.min(rng.int(nItems), rng.int(nItems)),
  );
  const weights = Float32Array.from(tokens, () => [1, 2, 3][rng.int(3)]);
  const counts = new Float64Array(nItems);
  for (const t of tokens) counts[t]++;
  const inVocab = Uint8Array.from(counts, (c) => (c > 0 ? 1 : 0));
  const alias = unigramAlias(counts, inVocab, 0.75);
  const syn0 = Float32Array.from({ length: nItems * dim }, () => (rng.next() - 0.5) / dim);
  const syn1 = Float32Array.from({ length: nItems * dim }, () => (rng.next() - 0.5) / dim);
  return {
    dim,
    window: 3,
    negative,
    syn0,
    syn1,
    tokens,
    weights,
    offsets,
    keep: keepProbabilities(counts, inVocab, 0.01),
    aliasProb: alias.prob,
    aliasIdx: alias.alias,
  };
}

/** The state with its own copies of syn0 / syn1. */
export function copyState(st: SgnsState): SgnsState {
  return { ...st, syn0: st.syn0.slice(), syn1: st.syn1.slice() };
}
