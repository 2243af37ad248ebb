/**
 * Session-parallel mini-batches (Hidasi et al. 2016, Fig. 2; official `fit` loop): the first
 * `batch` sessions take one row each; each step feeds item t of every row and asks for item t+1.
 * When a row's session delivers its last target, its hidden state is reset after the step and the
 * next unused session takes the row. When no session is left the batch shrinks (rows are dropped).
 * Sessions with fewer than 2 items give no step and are skipped.
 */

/** One training step: rows' input and target items, and which rows end their session here. */
export interface ParallelStep {
  /** Indices (into the previous step's rows) of the rows kept for this step; null = all kept. */
  keep: Int32Array | null;
  input: Int32Array;
  target: Int32Array;
  /** 1 where the row's session ends with this target (its hidden state is reset afterwards). */
  reset: Uint8Array;
}

/** Iterates the steps of one epoch over `sessions` (item lists) in the given order. */
export function* sessionParallelSteps(
  sessions: readonly Int32Array[],
  batchSize: number,
): Generator<ParallelStep> {
  const usable = sessions.filter((s) => s.length >= 2);
  const rows = Math.min(batchSize, usable.length);
  let sess = Int32Array.from({ length: rows }, (_, i) => i);
  let pos = new Int32Array(rows); // index of the current input item of each row
  let next = rows;
  let keep: Int32Array | null = null;
  while (sess.length > 0) {
    const m = sess.length;
    const input = new Int32Array(m);
    const target = new Int32Array(m);
    const reset = new Uint8Array(m);
    for (let r = 0; r < m; r++) {
      const s = usable[sess[r]];
      input[r] = s[pos[r]];
      target[r] = s[pos[r] + 1];
      reset[r] = pos[r] + 2 === s.length ? 1 : 0;
    }
    yield { keep, input, target, reset };
    keep = null;
    const kept: number[] = [];
    for (let r = 0; r < m; r++) {
      if (!reset[r]) {
        pos[r]++;
        kept.push(r);
      } else if (next < usable.length) {
        sess[r] = next++;
        pos[r] = 0;
        kept.push(r);
      }
    }
    if (kept.length < m) {
      keep = Int32Array.from(kept);
      sess = Int32Array.from(kept, (r) => sess[r]);
      pos = Int32Array.from(kept, (r) => pos[r]);
    }
  }
}
