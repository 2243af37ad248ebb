/**
 * Co-occurrence counts for the explainer: "bought together" (distinct items purchased by the same
 * user, or in the same transaction) and "viewed together" (distinct items of the same session).
 * count(i, j) = number of baskets holding both i and j (i ≠ j); the top `topK` partners of each
 * item are kept, most frequent first (ties: lower item index first).
 *
 * Cost: O(Σ_baskets |basket|²) time (baskets above `maxBasketItems` distinct items are skipped, so
 * one bot session cannot make it quadratic in the catalogue), O(nItems · topK) memory.
 */
import type { TrainData } from '../../types.js';
import { buildCsr, transposeCsr, type Csr } from '../../common/csr.js';
import { topKProduct } from './knn.js';
import { topKToCsr } from './similarity.js';

/** Which baskets make "bought together": a user's purchases, or one transaction id. */
export type PurchaseBasket = 'user' | 'transaction';

function basketMatrix(
  rowOf: Int32Array,
  items: Int32Array,
  nBaskets: number,
  nItems: number,
  maxItems: number,
): Csr {
  const m = buildCsr(rowOf, items, null, nBaskets, nItems);
  // Binary, and drop baskets that cannot pair (1 item) or are too large.
  const keepRows: number[] = [];
  const keepCols: number[] = [];
  for (let r = 0; r < m.nRows; r++) {
    const len = m.indptr[r + 1] - m.indptr[r];
    if (len < 2 || len > maxItems) continue;
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      keepRows.push(r);
      keepCols.push(m.indices[p]);
    }
  }
  return buildCsr(keepRows, keepCols, null, nBaskets, nItems);
}

/** Session × item basket matrix (1 where the session holds the item). */
export function sessionBaskets(data: TrainData, maxItems: number): Csr {
  const { offsets, rows } = data.sessions;
  const nSessions = offsets.length - 1;
  const rowOf = new Int32Array(rows.length);
  const items = new Int32Array(rows.length);
  for (let s = 0; s < nSessions; s++) {
    for (let p = offsets[s]; p < offsets[s + 1]; p++) {
      rowOf[p] = s;
      items[p] = data.events.item[rows[p]];
    }
  }
  return basketMatrix(rowOf, items, nSessions, data.nItems, maxItems);
}

/** Purchase basket × item matrix: one basket per user (or per transaction id). */
export function purchaseBaskets(data: TrainData, scope: PurchaseBasket, maxItems: number): Csr {
  const ev = data.events;
  const rowOf: number[] = [];
  const items: number[] = [];
  const txIndex = new Map<number, number>();
  for (let r = 0; r < ev.length; r++) {
    if (ev.event[r] !== 2) continue;
    let basket = ev.user[r];
    if (scope === 'transaction') {
      if (ev.transaction[r] < 0) continue;
      const t = ev.transaction[r];
      basket = txIndex.get(t) ?? txIndex.size;
      txIndex.set(t, basket);
    }
    rowOf.push(basket);
    items.push(ev.item[r]);
  }
  const nBaskets = scope === 'user' ? data.nUsers : txIndex.size;
  return basketMatrix(Int32Array.from(rowOf), Int32Array.from(items), nBaskets, data.nItems, maxItems);
}

/** Item × item co-occurrence counts, top `topK` partners per item, as CSR (most frequent first). */
export async function coOccurrence(baskets: Csr, topK: number, threads: number): Promise<Csr> {
  const itemBaskets = transposeCsr(baskets);
  const top = await topKProduct(itemBaskets, baskets, topK, { excludeSelf: true, minValue: 0, threads });
  return topKToCsr(top, baskets.nCols);
}
