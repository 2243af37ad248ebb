import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreOrder, topN, topNOf, topNOfNearlySorted, topNReference } from './top-n.js';

/** Rows with many ties and some non-finite scores. */
const row = fc
  .array(
    fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(Number.NEGATIVE_INFINITY), fc.constant(Number.NaN)),
    {
      minLength: 1,
      maxLength: 60,
    },
  )
  .map((xs) => Float32Array.from(xs));

describe('top-N over a subset of the items', () => {
  it('equals the full-row top-N when the subset holds it, in any input order', () => {
    fc.assert(
      fc.property(row, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1000 }), (r, n, seed) => {
        const skip = Uint8Array.from(r, (_, i) => ((i * 7 + seed) % 5 === 0 ? 1 : 0));
        const want = topNReference(r, n, skip);
        expect(Array.from(topN(r, n, skip))).toEqual(Array.from(want));
        // All items, shuffled deterministically.
        const items = Int32Array.from(r, (_, i) => i).sort(
          (a, b) => ((a * 31 + seed) % 17) - ((b * 31 + seed) % 17) || a - b,
        );
        const scores = Float32Array.from(items, (i) => r[i]);
        expect(Array.from(topNOf(items, scores, n, skip))).toEqual(Array.from(want));
        expect(Array.from(topNOfNearlySorted(items, scores, n, skip))).toEqual(Array.from(want));
      }),
    );
  });

  it('orders every finite item like topN', () => {
    fc.assert(
      fc.property(row, (r) => {
        const finite = Array.from(r).filter((x) => Number.isFinite(x)).length;
        expect(Array.from(scoreOrder(r))).toEqual(Array.from(topNReference(r, finite, null)));
      }),
    );
  });
});
