/**
 * The session-kNN scoring kernels (Jannach & Ludewig 2017; Ludewig & Jannach 2018), fast and
 * reference. For the current session c (items c_1..c_L, oldest first):
 *
 * 1. candidates: the sessions sharing an item with c; with `sampleSize` M > 0 only the M most
 *    recent of them (session-rec's `sampling='recent'`);
 * 2. similarity: SKNN  sim(c, n) = Σ_{i ∈ c ∩ n} w_i / √(|c| · |n|)  (binary cosine, w_i = the
 *    event weight of i's last occurrence, 1 for views); V-SKNN  sim(c, n) = Σ_{i ∈ c ∩ n} w_i ·
 *    pos(p_i, L) (· idf_i with `idfSession`), p_i = the 1-based position of i's last occurrence;
 * 3. the k most similar candidates are the neighbours (ties: the more recent session first);
 * 4. score(i) = Σ_{neighbours n ∋ i} sim(c, n) · decay(n) · (1 + λ · idf_i), where V-SKNN's decay
 *    depends on how far from the end of c the most recent item shared with n is, SKNN's is 1 and
 *    λ = `idfWeighting` (0 = off). Items of c stay candidates unless `remind` is false.
 *
 * Cost per query: O(L · M) to gather candidates (+ O(C log C) to keep the M most recent of C),
 * O(Σ_{candidates} |n|) for the similarities, O(C log C) to pick k, O(Σ_{neighbours} |n| + nItems)
 * to score. Scratch: O(nItems + nSessions), allocated once per scorer.
 */
import { positionWeight, stepDecay, type Decay } from './weighting.js';
import type { SessionNeighbourIndex } from './session-index.js';

export interface SknnParams {
  variant: 'sknn' | 'vsknn';
  k: number;
  sampleSize: number;
  weighting: Decay;
  scoreDecay: Decay;
  idfWeighting: number;
  idfSession: boolean;
  remind: boolean;
}

/** The current session as the kernels see it: known items, oldest first, with their event weight. */
export interface SessionInput {
  items: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/** Fast kernel: stamped scratch arrays, no per-item allocation. One instance per model. */
export class SknnScorer {
  private readonly qMark: Int32Array;
  private readonly qWeight: Float64Array;
  private readonly qLast: Int32Array;
  private readonly nMark: Int32Array;
  private readonly cMark: Int32Array;
  private readonly cand: Int32Array;
  private readonly sim: Float64Array;
  private readonly acc: Float64Array;
  private readonly distinct: Int32Array;
  private stamp = 0;

  constructor(
    private readonly index: SessionNeighbourIndex,
    private readonly p: SknnParams,
  ) {
    const nItems = index.itemSessions.nRows;
    const nSessions = index.sessionItems.nRows;
    this.qMark = new Int32Array(nItems);
    this.qWeight = new Float64Array(nItems);
    this.qLast = new Int32Array(nItems);
    this.nMark = new Int32Array(nItems);
    this.cMark = new Int32Array(nSessions);
    this.cand = new Int32Array(nSessions);
    this.sim = new Float64Array(nSessions);
    this.acc = new Float64Array(nItems);
    this.distinct = new Int32Array(nItems);
  }

  /** Writes the neighbour score of every item into `acc` (float64, length nItems) and returns it. */
  score(s: SessionInput): Float64Array {
    const { p, index, qMark, qWeight, qLast, cMark, cand, sim, acc, distinct } = this;
    acc.fill(0);
    const len = s.items.length;
    if (len === 0) return acc;
    const q = ++this.stamp;
    let nd = 0;
    for (let j = 0; j < len; j++) {
      const it = s.items[j];
      if (qMark[it] !== q) {
        qMark[it] = q;
        distinct[nd++] = it;
      }
      qLast[it] = j + 1;
      qWeight[it] =
        p.variant === 'vsknn' ? s.weights[j] * positionWeight(p.weighting, j + 1, len) : s.weights[j];
    }
    if (p.variant === 'vsknn' && p.idfSession)
      for (let t = 0; t < nd; t++) qWeight[distinct[t]] *= index.idf[distinct[t]];
    // 1. Candidates: union of each item's most recent sessions, then the M most recent overall.
    const { indptr: iPtr, indices: iSess } = index.itemSessions;
    let nc = 0;
    for (let t = 0; t < nd; t++) {
      const it = distinct[t];
      const end = p.sampleSize > 0 ? Math.min(iPtr[it + 1], iPtr[it] + p.sampleSize) : iPtr[it + 1];
      for (let e = iPtr[it]; e < end; e++) {
        const r = iSess[e];
        if (cMark[r] !== q) {
          cMark[r] = q;
          cand[nc++] = r;
        }
      }
    }
    if (p.sampleSize > 0 && nc > p.sampleSize) {
      cand.subarray(0, nc).sort();
      nc = p.sampleSize;
    }
    // 2. Similarities.
    const { indptr: sPtr, indices: sItem } = index.sessionItems;
    for (let c = 0; c < nc; c++) {
      const r = cand[c];
      let v = 0;
      for (let e = sPtr[r]; e < sPtr[r + 1]; e++) if (qMark[sItem[e]] === q) v += qWeight[sItem[e]];
      sim[r] = p.variant === 'sknn' ? v / Math.sqrt(nd * (sPtr[r + 1] - sPtr[r])) : v;
    }
    // 3. The k best (similarity desc, then more recent = lower rank first).
    const chosen = Array.from(cand.subarray(0, nc)).filter((r) => sim[r] > 0);
    chosen.sort((a, b) => sim[b] - sim[a] || a - b);
    const k = Math.min(p.k, chosen.length);
    // 4. Scores.
    for (let c = 0; c < k; c++) {
      const r = chosen[c];
      const decay = p.variant === 'vsknn' ? this.neighbourDecay(r, qLast, len) : 1;
      const w = sim[r] * decay;
      for (let e = sPtr[r]; e < sPtr[r + 1]; e++) {
        const it = sItem[e];
        if (!p.remind && qMark[it] === q) continue;
        acc[it] += p.idfWeighting > 0 ? w * (1 + p.idfWeighting * index.idf[it]) : w;
      }
    }
    return acc;
  }

  /** V-SKNN decay of neighbour r: by the last position of c whose item r holds. */
  private neighbourDecay(r: number, qLast: Int32Array, len: number): number {
    const { indptr, indices } = this.index.sessionItems;
    const q = this.stamp;
    let best = 0;
    for (let e = indptr[r]; e < indptr[r + 1]; e++) {
      const it = indices[e];
      if (this.qMark[it] === q && qLast[it] > best) best = qLast[it];
    }
    return best > 0 ? stepDecay(this.p.scoreDecay, len - best + 1) : 0;
  }
}

/**
 * Reference kernel: the same definition written as directly as possible (sets and maps, full sort),
 * after session-rec's `ContextKNN` / `VMContextKNN`. Used by tests to check {@link SknnScorer}.
 */
export function sknnReference(index: SessionNeighbourIndex, p: SknnParams, s: SessionInput): Float64Array {
  const nItems = index.itemSessions.nRows;
  const out = new Float64Array(nItems);
  const len = s.items.length;
  if (len === 0) return out;
  const items = Array.from(s.items);
  const current = new Set(items);
  const posOf = new Map<number, number>();
  const weight = new Map<number, number>();
  items.forEach((it, j) => {
    posOf.set(it, j + 1);
    weight.set(
      it,
      p.variant === 'vsknn' ? s.weights[j] * positionWeight(p.weighting, j + 1, len) : s.weights[j],
    );
  });
  if (p.variant === 'vsknn' && p.idfSession)
    for (const it of current) weight.set(it, weight.get(it)! * index.idf[it]);
  const sessionsOf = (it: number): number[] => {
    const { indptr, indices } = index.itemSessions;
    const all = Array.from(indices.subarray(indptr[it], indptr[it + 1]));
    return p.sampleSize > 0 ? all.slice(0, p.sampleSize) : all;
  };
  const itemsOf = (r: number): Set<number> => {
    const { indptr, indices } = index.sessionItems;
    return new Set(indices.subarray(indptr[r], indptr[r + 1]));
  };
  let candidates = [...new Set(items.flatMap(sessionsOf))].sort((a, b) => a - b);
  if (p.sampleSize > 0) candidates = candidates.slice(0, p.sampleSize);
  const scored = candidates
    .map((r) => {
      const n = itemsOf(r);
      const dot = [...current].filter((it) => n.has(it)).reduce((a, it) => a + weight.get(it)!, 0);
      return { r, n, sim: p.variant === 'sknn' ? dot / Math.sqrt(current.size * n.size) : dot };
    })
    .filter((x) => x.sim > 0)
    .sort((a, b) => b.sim - a.sim || a.r - b.r)
    .slice(0, p.k);
  for (const { n, sim } of scored) {
    let decay = 1;
    if (p.variant === 'vsknn') {
      const last = Math.max(...[...current].filter((it) => n.has(it)).map((it) => posOf.get(it)!));
      decay = stepDecay(p.scoreDecay, len - last + 1);
    }
    for (const it of n) {
      if (!p.remind && current.has(it)) continue;
      out[it] += sim * decay * (p.idfWeighting > 0 ? 1 + p.idfWeighting * index.idf[it] : 1);
    }
  }
  return out;
}
