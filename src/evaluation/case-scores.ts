/**
 * Small helpers shared by the top-K selection (`list-metrics.ts`) and the target ranks
 * (`ranks.ts`), which both scan one case's scores `scores[offset .. offset + nItems)`.
 */
import { RecError } from '../core/errors.js';

/** The `NUMERIC` error for a NaN score of `item` in the case starting at `offset`. */
export function nanScoreError(item: number, offset: number): RecError {
  return new RecError(
    'NUMERIC',
    `Score of item ${item} is NaN (scores at offset ${offset}); the model produced an invalid score`,
    {
      item,
    },
  );
}

/** Index of the first NaN score of the case (for the error message), −1 when there is none. */
export function firstNan(scores: Float32Array, offset: number, nItems: number): number {
  for (let j = 0; j < nItems; j++) if (scores[offset + j] !== scores[offset + j]) return j;
  return -1;
}

/** True when `x` is in the ascending array `sorted` (binary search, O(log n)). */
export function sortedContains(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === x;
}
