/**
 * Training sequences and length-bucketed mini-batches for SASRec. A sequence i1…in gives inputs
 * i1…i(n−1) and next-item targets i2…in (the last maxLen of each). Batches group sequences of
 * similar length (sorted by length, cut into batches, batch order shuffled each epoch), so that
 * the left padding to the batch's longest input stays small.
 */
import type { Rng } from '../../../core/rng.js';
import type { TrainData } from '../../types.js';

/**
 * Sequences of item indices (each oldest item first): the sessions, or each user's whole history,
 * listed in time order — sessions by their first event, histories by their last.
 */
export function trainingSequences(data: TrainData, source: 'sessions' | 'history'): Int32Array[] {
  const out: { seq: Int32Array; at: number }[] = [];
  if (source === 'sessions') {
    const { offsets, rows } = data.sessions;
    for (let s = 0; s + 1 < offsets.length; s++) {
      const n = offsets[s + 1] - offsets[s];
      if (n < 2) continue;
      // training events are sorted by time, so a row index orders events in time
      const seq = Int32Array.from({ length: n }, (_, k) => data.events.item[rows[offsets[s] + k]]);
      out.push({ seq, at: rows[offsets[s]] });
    }
  } else {
    const byUser: number[][] = Array.from({ length: data.nUsers }, () => []);
    const last = new Int32Array(data.nUsers);
    for (let r = 0; r < data.events.length; r++) {
      byUser[data.events.user[r]].push(data.events.item[r]);
      last[data.events.user[r]] = r;
    }
    byUser.forEach((h, u) => {
      if (h.length >= 2) out.push({ seq: Int32Array.from(h), at: last[u] });
    });
  }
  return out.sort((x, y) => x.at - y.at).map((x) => x.seq);
}

/**
 * Batches for time-ordered epochs: the (time-ordered) sequences are cut into `windows` consecutive
 * windows, each cut into length-bucketed batches by {@link makeBatches}.
 */
export function makeWindowBatches(
  seqs: readonly Int32Array[],
  batchSize: number,
  maxLen: number,
  windows: number,
): SeqBatch[][] {
  const w = Math.max(1, Math.min(windows, Math.floor(seqs.length / batchSize)));
  return Array.from({ length: w }, (_, k) =>
    makeBatches(
      seqs.slice(Math.floor((k * seqs.length) / w), Math.floor(((k + 1) * seqs.length) / w)),
      batchSize,
      maxLen,
    ),
  );
}

export interface SeqBatch {
  B: number;
  L: number;
  /** B × L inputs as item + 1, left-padded with 0. */
  ids: Int32Array;
  /** Flat positions (b·L + t) that have a target, and the target item + 1 there. */
  rows: Int32Array;
  targets: Int32Array;
}

/** Cuts the sequences (sorted by length) into batches; call {@link shuffled} for each epoch's order. */
export function makeBatches(seqs: readonly Int32Array[], batchSize: number, maxLen: number): SeqBatch[] {
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[a].length - seqs[b].length || a - b);
  const out: SeqBatch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const B = idx.length;
    const L = Math.min(maxLen, Math.max(...idx.map((i) => seqs[i].length - 1)));
    const ids = new Int32Array(B * L);
    const rows: number[] = [];
    const targets: number[] = [];
    idx.forEach((si, b) => {
      const s = seqs[si];
      const n = Math.min(L, s.length - 1); // inputs kept: s[len−1−n … len−2]
      const off = s.length - 1 - n;
      for (let t = 0; t < n; t++) {
        const p = b * L + (L - n + t);
        ids[p] = s[off + t] + 1;
        rows.push(p);
        targets.push(s[off + t + 1] + 1);
      }
    });
    out.push({ B, L, ids, rows: Int32Array.from(rows), targets: Int32Array.from(targets) });
  }
  return out;
}

/** A seeded permutation of the batches. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
