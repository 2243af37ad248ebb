/**
 * Top-N selection of one score row with a binary min-heap: O(n log N) time, O(N) memory.
 * Order: higher score first, ties → lower item index first; non-finite scores and items marked in
 * `skip` are never selected.
 */

/** Reusable heap scratch for {@link topN}. */
export class TopNScratch {
  items: Int32Array;
  scores: Float64Array;
  constructor(n: number) {
    this.items = new Int32Array(n);
    this.scores = new Float64Array(n);
  }
}

/** true when (sa, ia) ranks below (sb, ib). */
function below(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** The `n` best items of `row` (best first). */
export function topN(
  row: Float32Array,
  n: number,
  skip: Uint8Array | null,
  scratch?: TopNScratch,
): Int32Array {
  const h = scratch && scratch.items.length >= n ? scratch : new TopNScratch(n);
  const hi = h.items;
  const hs = h.scores;
  let size = 0;
  for (let i = 0; i < row.length; i++) {
    const s = row[i];
    if (!Number.isFinite(s) || (skip && skip[i])) continue;
    if (size < n) {
      // sift up
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!below(s, i, hs[p], hi[p])) break;
        hs[c] = hs[p];
        hi[c] = hi[p];
        c = p;
      }
      hs[c] = s;
      hi[c] = i;
    } else if (below(hs[0], hi[0], s, i)) {
      // replace the root (the worst kept) and sift down
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && below(hs[r], hi[r], hs[l], hi[l]) ? r : l;
        if (!below(hs[m], hi[m], s, i)) break;
        hs[c] = hs[m];
        hi[c] = hi[m];
        c = m;
      }
      hs[c] = s;
      hi[c] = i;
    }
  }
  const order = Array.from({ length: size }, (_, k) => k).sort((a, b) => hs[b] - hs[a] || hi[a] - hi[b]);
  return Int32Array.from(order, (k) => hi[k]);
}

/** Readable reference of {@link topN} (full sort), for tests. */
export function topNReference(row: Float32Array, n: number, skip: Uint8Array | null): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < row.length; i++) if (Number.isFinite(row[i]) && !(skip && skip[i])) idx.push(i);
  idx.sort((a, b) => row[b] - row[a] || a - b);
  return Int32Array.from(idx.slice(0, n));
}

/**
 * {@link topN} restricted to the distinct `items`, whose row values are `scores` (aligned): the
 * same order and rules (higher first, ties → lower index, non-finite and `skip` never selected).
 * Equals `topN(row, n, skip)` whenever `items` contains that answer. O(m log n) for m items.
 */
export function topNOf(
  items: ArrayLike<number>,
  scores: ArrayLike<number>,
  n: number,
  skip: Uint8Array | null,
): Int32Array {
  const idx: number[] = [];
  for (let k = 0; k < items.length; k++)
    if (Number.isFinite(scores[k]) && !(skip && skip[items[k]])) idx.push(k);
  if (idx.length > 4 * n) {
    // Keep a heap's worth: sort only what can make the cut.
    const h = new TopNScratch(n);
    let size = 0;
    for (const k of idx) {
      const s = scores[k];
      const i = items[k];
      if (size < n) {
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!below(s, i, h.scores[p], h.items[p])) break;
          h.scores[c] = h.scores[p];
          h.items[c] = h.items[p];
          c = p;
        }
        h.scores[c] = s;
        h.items[c] = i;
      } else if (below(h.scores[0], h.items[0], s, i)) {
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= size) break;
          const r = l + 1;
          const m = r < size && below(h.scores[r], h.items[r], h.scores[l], h.items[l]) ? r : l;
          if (!below(h.scores[m], h.items[m], s, i)) break;
          h.scores[c] = h.scores[m];
          h.items[c] = h.items[m];
          c = m;
        }
        h.scores[c] = s;
        h.items[c] = i;
      }
    }
    const order = Array.from({ length: size }, (_, k) => k).sort(
      (a, b) => h.scores[b] - h.scores[a] || h.items[a] - h.items[b],
    );
    return Int32Array.from(order, (k) => h.items[k]);
  }
  idx.sort((a, b) => scores[b] - scores[a] || items[a] - items[b]);
  return Int32Array.from(idx.slice(0, n), (k) => items[k]);
}

/** Every item with a finite score, in {@link topN} order (higher first, ties → lower index). */
export function scoreOrder(row: Float32Array): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < row.length; i++) if (Number.isFinite(row[i])) idx.push(i);
  idx.sort((a, b) => row[b] - row[a] || a - b);
  return Int32Array.from(idx);
}

/**
 * {@link topNOf} for candidates that arrive nearly in order (e.g. ANN results re-scored exactly):
 * an insertion sort, O(m + inversions), O(m²) at worst. Same order and rules as {@link topN}.
 */
export function topNOfNearlySorted(
  items: Int32Array,
  scores: Float32Array,
  n: number,
  skip: Uint8Array | null,
): Int32Array {
  const m = items.length;
  const idx = new Int32Array(m);
  let size = 0;
  for (let k = 0; k < m; k++) {
    const s = scores[k];
    const it = items[k];
    if (!Number.isFinite(s) || (skip && skip[it])) continue;
    let p = size++;
    while (p > 0) {
      const o = idx[p - 1];
      if (scores[o] > s || (scores[o] === s && items[o] < it)) break;
      idx[p] = o;
      p--;
    }
    idx[p] = k;
  }
  const out = new Int32Array(Math.min(n, size));
  for (let r = 0; r < out.length; r++) out[r] = items[idx[r]];
  return out;
}
