/**
 * The Item2Vec training corpus: sentences of dense item indices (sessions, or whole user
 * histories), the vocabulary after `minCount`, gensim's subsampling keep probabilities and the
 * unigram^e negative-sampling distribution (as a Walker alias table: one draw, O(1)).
 *
 * Cost: O(events) time; memory 4 B × tokens × 2 + O(nItems).
 */
import type { EventWeights } from '../../common/event-weights.js';
import type { TrainData } from '../../types.js';

/** Flat sentences: sentence s is `tokens[offsets[s] .. offsets[s+1])`, with one step weight per token. */
export interface Corpus {
  readonly tokens: Int32Array;
  readonly weights: Float32Array;
  readonly offsets: Int32Array;
  /** Raw occurrences of each item over all sentences (before `minCount`). */
  readonly counts: Float64Array;
  /** 1 when the item has a vector (count ≥ minCount). */
  readonly inVocab: Uint8Array;
}

export interface CorpusOptions {
  source: 'sessions' | 'history';
  minCount: number;
  eventWeights: EventWeights;
}

/** Rows of each sentence, in time order. */
function sentenceRows(
  data: TrainData,
  source: 'sessions' | 'history',
): { rows: Int32Array; offsets: Int32Array } {
  if (source === 'sessions') return { rows: data.sessions.rows, offsets: data.sessions.offsets };
  // Whole history per user: a stable counting sort of the (time-sorted) events by user.
  const ev = data.events;
  const offsets = new Int32Array(data.nUsers + 1);
  for (let r = 0; r < ev.length; r++) offsets[ev.user[r] + 1]++;
  for (let u = 0; u < data.nUsers; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, data.nUsers);
  const rows = new Int32Array(ev.length);
  for (let r = 0; r < ev.length; r++) rows[fill[ev.user[r]]++] = r;
  return { rows, offsets };
}

/**
 * Builds the corpus of `data`. Items below `minCount` are removed from the sentences before any
 * window is formed (gensim does the same); sentences left with fewer than 2 tokens are dropped.
 */
export function buildCorpus(data: TrainData, opts: CorpusOptions): Corpus {
  const { rows, offsets } = sentenceRows(data, opts.source);
  const ev = data.events;
  const counts = new Float64Array(data.nItems);
  for (let k = 0; k < rows.length; k++) counts[ev.item[rows[k]]]++;
  const inVocab = new Uint8Array(data.nItems);
  for (let i = 0; i < data.nItems; i++) inVocab[i] = counts[i] >= opts.minCount ? 1 : 0;
  const w = [opts.eventWeights.view, opts.eventWeights.addtocart, opts.eventWeights.transaction];
  const tokens = new Int32Array(rows.length);
  const weights = new Float32Array(rows.length);
  const outOffsets = [0];
  let n = 0;
  for (let s = 0; s + 1 < offsets.length; s++) {
    const start = n;
    for (let k = offsets[s]; k < offsets[s + 1]; k++) {
      const r = rows[k];
      if (!inVocab[ev.item[r]]) continue;
      tokens[n] = ev.item[r];
      weights[n++] = w[ev.event[r]] ?? 1;
    }
    if (n - start < 2) n = start;
    else outOffsets.push(n);
  }
  return {
    tokens: tokens.slice(0, n),
    weights: weights.slice(0, n),
    offsets: Int32Array.from(outOffsets),
    counts,
    inVocab,
  };
}

/**
 * gensim's keep probability of each item under subsampling threshold `sample`:
 * t = sample · Σ_vocab count, p(i) = min(1, (√(c_i / t) + 1) · t / c_i); 1 when `sample` is 0.
 */
export function keepProbabilities(counts: Float64Array, inVocab: Uint8Array, sample: number): Float64Array {
  const p = new Float64Array(counts.length).fill(1);
  if (sample <= 0) return p;
  let total = 0;
  for (let i = 0; i < counts.length; i++) if (inVocab[i]) total += counts[i];
  const t = sample * total;
  for (let i = 0; i < counts.length; i++) {
    if (!inVocab[i] || counts[i] <= 0) continue;
    p[i] = Math.min(1, (Math.sqrt(counts[i] / t) + 1) * (t / counts[i]));
  }
  return p;
}

/** Walker alias table of the distribution ∝ count^e over the vocabulary. */
export interface AliasTable {
  /** Probability of keeping column i (else take `alias[i]`). */
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

export function unigramAlias(counts: Float64Array, inVocab: Uint8Array, exponent: number): AliasTable {
  const n = counts.length;
  const q = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) if (inVocab[i] && counts[i] > 0) sum += q[i] = Math.pow(counts[i], exponent);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    q[i] = sum > 0 ? (q[i] * n) / sum : 1;
    alias[i] = i;
  }
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) (q[i] < 1 ? small : large).push(i);
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    prob[s] = q[s];
    alias[s] = l;
    q[l] -= 1 - q[s];
    if (q[l] < 1) small.push(large.pop()!);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1; // rounding leftovers
  return { prob, alias };
}
