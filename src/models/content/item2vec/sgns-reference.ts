/**
 * The readable reference of `sgns-kernel.ts`: the same algorithm and the same order of random
 * draws, written as small functions over plain arrays. Tests check that the fast kernel gives the
 * identical parameters, and check `sgnsPairStep` (the gradient step) against finite differences.
 */
import type { Rng } from '../../../core/rng.js';
import { MAX_EXP, type SgnsState, type SgnsStats } from './sgns-kernel.js';

type Vec = Float32Array | Float64Array;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function dot(a: Vec, ai: number, b: Vec, bi: number, dim: number): number {
  let f = 0;
  for (let j = 0; j < dim; j++) f += a[ai + j] * b[bi + j];
  return f;
}

/**
 * SGNS loss of one pair: ℓ = −log σ(syn0[input]·syn1[targets[0]]) − Σ_{t ∈ targets[1..]} log σ(−syn0[input]·syn1[t]).
 * (Loss terms are clamped at p ≥ 1e-7 like the kernel.)
 */
export function sgnsPairLoss(
  syn0: Vec,
  syn1: Vec,
  dim: number,
  input: number,
  targets: ArrayLike<number>,
): number {
  let loss = 0;
  for (let d = 0; d < targets.length; d++) {
    const s = sigmoid(dot(syn0, input * dim, syn1, targets[d] * dim, dim));
    const p = d === 0 ? s : 1 - s;
    loss -= Math.log(Math.max(p, 1e-7));
  }
  return loss;
}

/**
 * One SGD step of `sgnsPairLoss` with step `step`: syn1 rows updated target by target (each with
 * the gradient at the current values), syn0[input] once at the end with the accumulated gradient.
 * For distinct targets with |f| < MAX_EXP this is exactly θ ← θ − step · ∇ℓ(θ); targets with
 * |f| ≥ MAX_EXP are left out of the step (gensim's rule). Returns the loss before the step.
 */
export function sgnsPairStep(
  syn0: Vec,
  syn1: Vec,
  dim: number,
  input: number,
  targets: ArrayLike<number>,
  step: number,
): number {
  const inputGrad = new Float64Array(dim);
  let loss = 0;
  for (let d = 0; d < targets.length; d++) {
    const label = d === 0 ? 1 : 0;
    const row1 = targets[d] * dim;
    const f = dot(syn0, input * dim, syn1, row1, dim);
    const s = sigmoid(f);
    loss -= Math.log(Math.max(label ? s : 1 - s, 1e-7));
    if (Math.abs(f) >= MAX_EXP) continue; // saturated σ: no update, as gensim
    const g = (label - s) * step; // = −step · ∂ℓ/∂f
    for (let j = 0; j < dim; j++) {
      inputGrad[j] += g * syn1[row1 + j];
      syn1[row1 + j] += g * syn0[input * dim + j];
    }
  }
  for (let j = 0; j < dim; j++) syn0[input * dim + j] += inputGrad[j];
  return loss;
}

/** Subsampled copy of one sentence: the kept items and their step weights. */
function subsample(st: SgnsState, rng: Rng, a: number, b: number): { items: number[]; weights: number[] } {
  const items: number[] = [];
  const weights: number[] = [];
  for (let k = a; k < b; k++) {
    if (rng.next() < st.keep[st.tokens[k]]) {
      items.push(st.tokens[k]);
      weights.push(st.weights[k]);
    }
  }
  return { items, weights };
}

/** One draw from the alias table. */
function drawNegative(st: SgnsState, rng: Rng): number {
  const u = rng.next() * st.aliasIdx.length;
  const col = Math.floor(u);
  return u - col < st.aliasProb[col] ? col : st.aliasIdx[col];
}

/** Reference of `trainSentences` (same signature minus the scratch, same results). */
export function trainSentencesReference(
  st: SgnsState,
  rng: Rng,
  from: number,
  to: number,
  alphaStart: number,
  alphaEnd: number,
): SgnsStats {
  const total = Math.max(1, st.offsets[to] - st.offsets[from]);
  const stats: SgnsStats = { words: 0, pairs: 0, loss: 0 };
  for (let s = from; s < to; s++) {
    const alpha = alphaStart + ((alphaEnd - alphaStart) * stats.words) / total;
    stats.words += st.offsets[s + 1] - st.offsets[s];
    const { items, weights } = subsample(st, rng, st.offsets[s], st.offsets[s + 1]);
    for (let c = 0; c < items.length; c++) {
      const w = st.window - rng.int(st.window);
      for (let x = Math.max(0, c - w); x < Math.min(items.length, c + w + 1); x++) {
        if (x === c) continue;
        const targets = [items[c]];
        for (let d = 0; d < st.negative; d++) {
          const t = drawNegative(st, rng);
          if (t !== items[c]) targets.push(t);
        }
        const step = alpha * Math.max(weights[x], weights[c]);
        stats.loss += sgnsPairStep(st.syn0, st.syn1, st.dim, items[x], targets, step);
        stats.pairs++;
      }
    }
  }
  return stats;
}
