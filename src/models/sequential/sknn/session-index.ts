/**
 * The session index of session-kNN: each training session's distinct items, its recency rank
 * (0 = the session that ended last), and for every item the sessions holding it, most recent
 * first — so that "the `sampleSize` most recent sessions sharing an item" is a prefix of a list.
 *
 * Cost: O(events + Σ_s |items(s)| log) time, O(Σ_s |items(s)|) memory (stored twice: by session
 * and by item).
 */
import { buildCsr, transposeCsr, type Csr } from '../../common/csr.js';
import type { TrainData } from '../../types.js';

export interface SessionNeighbourIndex {
  /** Row r = the session of recency rank r (0 = most recent); its distinct items. */
  readonly sessionItems: Csr;
  /** Row i = ranks of the sessions holding item i, ascending (most recent first). */
  readonly itemSessions: Csr;
  /** idf_i = ln(nSessions / #sessions holding i), 0 for items in no session. */
  readonly idf: Float32Array;
  /** #sessions holding each item, divided by the maximum (tie-break popularity). */
  readonly pop: Float32Array;
}

/** Builds the index from the training sessions (sessions without known items are dropped). */
export function buildSessionIndex(data: TrainData): SessionNeighbourIndex {
  const { offsets, rows } = data.sessions;
  const nSessions = offsets.length - 1;
  const ev = data.events;
  const end = new Float64Array(nSessions);
  for (let s = 0; s < nSessions; s++) {
    let t = -Infinity;
    for (let p = offsets[s]; p < offsets[s + 1]; p++) t = Math.max(t, ev.ts[rows[p]]);
    end[s] = t;
  }
  // Recency order: latest end first; ties broken by the later session index first.
  const order = Array.from({ length: nSessions }, (_, s) => s).sort((a, b) => end[b] - end[a] || b - a);
  const sessRows: number[] = [];
  const sessCols: number[] = [];
  let kept = 0;
  for (const s of order) {
    if (offsets[s + 1] === offsets[s]) continue;
    for (let p = offsets[s]; p < offsets[s + 1]; p++) {
      const it = ev.item[rows[p]];
      if (it < 0 || it >= data.nItems) continue;
      sessRows.push(kept);
      sessCols.push(it);
    }
    kept++;
  }
  const counted = buildCsr(sessRows, sessCols, null, kept, data.nItems);
  // Distinct items: value 1 whatever the number of repeats.
  const sessionItems: Csr = { ...counted, data: new Float32Array(counted.indices.length).fill(1) };
  const itemSessions = transposeCsr(sessionItems);
  const idf = new Float32Array(data.nItems);
  const pop = new Float32Array(data.nItems);
  let max = 0;
  for (let i = 0; i < data.nItems; i++) {
    const df = itemSessions.indptr[i + 1] - itemSessions.indptr[i];
    idf[i] = df > 0 ? Math.log(kept / df) : 0;
    pop[i] = df;
    if (df > max) max = df;
  }
  if (max > 0) for (let i = 0; i < pop.length; i++) pop[i] /= max;
  return { sessionItems, itemSessions, idf, pop };
}
