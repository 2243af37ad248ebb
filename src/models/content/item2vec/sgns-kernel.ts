/**
 * The fast skip-gram negative-sampling kernel (Mikolov et al. 2013, "Distributed Representations of
 * Words and Phrases"; word2vec.c / gensim `fast_sentence_sg_neg`), used by Item2Vec.
 *
 * For each sentence: drop item i with probability 1 − keep(i) (subsampling), then for each centre
 * position c with effective window w_c ~ U{1..window} and each context position x ≠ c within w_c,
 * one SGNS step on the pair (input = context, output = centre) with `negative` targets drawn from
 * the unigram^e alias table (a draw equal to the centre is skipped):
 *
 *   f_t = syn0[x] · syn1[t],  g_t = (label_t − σ(f_t)) · α · ω,   ω = max(weight_x, weight_c)
 *   e  += g_t · syn1[t];  syn1[t] += g_t · syn0[x]   (for t = centre (label 1), negatives (label 0))
 *   syn0[x] += e
 *
 * which is SGD on ℓ = −log σ(f_centre) − Σ_neg log σ(−f_neg); targets with |f_t| ≥ MAX_EXP are
 * skipped like gensim does. α decays linearly over the range,
 * from `alphaStart` to `alphaEnd`, updated per sentence. `sgns-reference.ts` holds the same
 * algorithm written plainly; a test checks that both give identical parameters for a seed.
 *
 * Cost per epoch: O(tokens · window · (negative + 1) · dim) flops; memory: two nItems × dim float32
 * matrices (shared between Hogwild threads) + O(longest sentence) scratch per thread.
 */
import type { Rng } from '../../../core/rng.js';

/**
 * Targets with |f| ≥ MAX_EXP get no update, as in gensim's `fast_sentence_sg_neg` (its EXP_TABLE
 * bound): σ is saturated there, and skipping the row update of the many easy negatives late in
 * training saves time. (σ itself is computed exactly, not from a table.)
 */
export const MAX_EXP = 6;

/** Everything one thread needs: read-only corpus and tables, shared parameters, hyper-parameters. */
export interface SgnsState {
  readonly dim: number;
  readonly window: number;
  readonly negative: number;
  /** Input vectors, nItems × dim (the item embeddings). */
  readonly syn0: Float32Array;
  /** Output (context) vectors, nItems × dim. */
  readonly syn1: Float32Array;
  readonly tokens: Int32Array;
  readonly weights: Float32Array;
  readonly offsets: Int32Array;
  /** Keep probability of each item under subsampling. */
  readonly keep: Float64Array;
  readonly aliasProb: Float64Array;
  readonly aliasIdx: Int32Array;
}

/** Totals of one pass over a range of sentences. */
export interface SgnsStats {
  /** Raw tokens of the range (before subsampling). */
  words: number;
  /** Positive pairs trained. */
  pairs: number;
  /** Σ ℓ over the positive pairs (mean loss = loss / pairs). */
  loss: number;
}

/** Scratch buffers of one thread, allocated once. */
export interface SgnsScratch {
  kept: Int32Array;
  keptW: Float32Array;
  neu1e: Float64Array;
}

export function makeScratch(state: SgnsState): SgnsScratch {
  let longest = 0;
  for (let s = 0; s + 1 < state.offsets.length; s++)
    longest = Math.max(longest, state.offsets[s + 1] - state.offsets[s]);
  return {
    kept: new Int32Array(longest),
    keptW: new Float32Array(longest),
    neu1e: new Float64Array(state.dim),
  };
}

/**
 * Frequent-item subsampling of tokens [a, b) into `scratch.kept` / `keptW` (one draw per token, in
 * order); returns how many were kept.
 */
export function subsample(st: SgnsState, scratch: SgnsScratch, rng: Rng, a: number, b: number): number {
  const { tokens, weights, keep } = st;
  const { kept, keptW } = scratch;
  let n = 0;
  for (let k = a; k < b; k++) {
    const it = tokens[k];
    if (rng.next() < keep[it]) {
      kept[n] = it;
      keptW[n++] = weights[k];
    }
  }
  return n;
}

/** Runs SGNS over sentences [from, to) with this thread's generator; updates syn0/syn1 in place. */
export function trainSentences(
  st: SgnsState,
  scratch: SgnsScratch,
  rng: Rng,
  from: number,
  to: number,
  alphaStart: number,
  alphaEnd: number,
): SgnsStats {
  const { dim, window, negative, syn0, syn1, offsets, aliasProb, aliasIdx } = st;
  const { kept, keptW, neu1e } = scratch;
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
        const row0 = kept[x] * dim;
        for (let j = 0; j < dim; j++) neu1e[j] = 0;
        for (let d = 0; d <= negative; d++) {
          let target: number;
          let label: number;
          if (d === 0) {
            target = centre;
            label = 1;
          } else {
            const u = rng.next() * nItems;
            const col = u | 0;
            target = u - col < aliasProb[col] ? col : aliasIdx[col];
            if (target === centre) continue;
            label = 0;
          }
          const row1 = target * dim;
          let f = 0;
          for (let j = 0; j < dim; j++) f += syn0[row0 + j] * syn1[row1 + j];
          const sig = 1 / (1 + Math.exp(-f));
          // −log σ(f) for the positive, −log σ(−f) = −log(1 − σ(f)) for a negative (clamped at 1e-7).
          const p = label === 1 ? sig : 1 - sig;
          loss -= Math.log(p > 1e-7 ? p : 1e-7);
          if (f >= MAX_EXP || f <= -MAX_EXP) continue; // saturated: no update (as gensim)
          const g = (label - sig) * step;
          // e += g · syn1[t]; syn1[t] += g · syn0[x] — unrolled by 4 (same arithmetic, fewer bounds checks).
          let j = 0;
          for (; j + 3 < dim; j += 4) {
            const t0 = syn1[row1 + j];
            const t1 = syn1[row1 + j + 1];
            const t2 = syn1[row1 + j + 2];
            const t3 = syn1[row1 + j + 3];
            neu1e[j] += g * t0;
            neu1e[j + 1] += g * t1;
            neu1e[j + 2] += g * t2;
            neu1e[j + 3] += g * t3;
            syn1[row1 + j] = t0 + g * syn0[row0 + j];
            syn1[row1 + j + 1] = t1 + g * syn0[row0 + j + 1];
            syn1[row1 + j + 2] = t2 + g * syn0[row0 + j + 2];
            syn1[row1 + j + 3] = t3 + g * syn0[row0 + j + 3];
          }
          for (; j < dim; j++) {
            neu1e[j] += g * syn1[row1 + j];
            syn1[row1 + j] += g * syn0[row0 + j];
          }
        }
        for (let j = 0; j < dim; j++) syn0[row0 + j] += neu1e[j];
        pairs++;
      }
    }
  }
  return { words, pairs, loss };
}
