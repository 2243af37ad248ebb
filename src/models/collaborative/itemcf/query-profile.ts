/**
 * The weighted item profile of a query, shared by Item-CF and User-CF:
 * a_h = Σ over positions j of h in the history of w(event_j) · m_j · 2^(−(L−1−j)/recencyHalfLife),
 * where m_j = `historyWeight` before the current session (j < sessionStart) and 1 inside it, and
 * L is the history length (so the last item has distance 0). Unknown item indices are skipped.
 *
 * Cost: O(|history|) per query; the scratch arrays are allocated once per model.
 */
import { z } from 'zod';

export const ProfileConfigShape = {
  /** Half-life, in positions from the end of the history, of the recency weight; null = none. */
  recencyHalfLife: z.number().positive().nullable().default(null),
  /** Weight of history items before the current session (the session itself weighs 1). */
  historyWeight: z.number().min(0).default(1),
};

export interface ProfileOptions {
  recencyHalfLife: number | null;
  historyWeight: number;
}

/** Reusable scratch of {@link queryProfile}. */
export class ProfileScratch {
  readonly weight: Float64Array;
  /** Distinct profile items, first-seen order; entries [0, size). */
  items: Int32Array;
  private readonly seen: Uint8Array;
  size = 0;

  constructor(nItems: number, maxHistory = 1024) {
    this.weight = new Float64Array(nItems);
    this.seen = new Uint8Array(nItems);
    this.items = new Int32Array(maxHistory);
  }

  /** Fills the profile of one query (distinct items in first-seen order, weights in `weight`). */
  fill(
    items: Int32Array,
    events: Uint8Array,
    sessionStart: number,
    eventWeight: Float64Array,
    opts: ProfileOptions,
  ): void {
    this.clear();
    const n = this.weight.length;
    const len = items.length;
    if (len > this.items.length) this.items = new Int32Array(len);
    const list = this.items;
    for (let j = 0; j < len; j++) {
      const h = items[j];
      if (h < 0 || h >= n) continue;
      let a = eventWeight[events[j]] ?? 1;
      if (j < sessionStart) a *= opts.historyWeight;
      if (opts.recencyHalfLife) a *= Math.pow(2, -(len - 1 - j) / opts.recencyHalfLife);
      if (!this.seen[h]) {
        this.seen[h] = 1;
        list[this.size++] = h;
      }
      this.weight[h] += a;
    }
  }

  private clear(): void {
    for (let t = 0; t < this.size; t++) {
      this.weight[this.items[t]] = 0;
      this.seen[this.items[t]] = 0;
    }
    this.size = 0;
  }
}
