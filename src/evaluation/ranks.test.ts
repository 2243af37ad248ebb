import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRecError } from '../core/errors.js';
import { UNREACHABLE_RANK, targetRanks, targetRanksReference } from './ranks.js';

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);
const i32 = (xs: number[]): Int32Array => Int32Array.from(xs);

/** Random case with many ties: scores drawn from a handful of values including ±Infinity. */
const caseArb = fc.integer({ min: 1, max: 40 }).chain((nItems) =>
  fc.record({
    nItems: fc.constant(nItems),
    offset: fc.integer({ min: 0, max: 3 }),
    scores: fc.array(fc.constantFrom(-Infinity, -1, 0, 0.5, 1, 2, Infinity), {
      minLength: nItems + 3,
      maxLength: nItems + 3,
    }),
    targets: fc.uniqueArray(fc.integer({ min: 0, max: nItems - 1 }), {
      minLength: 1,
      maxLength: Math.min(nItems, 30),
    }),
    exclude: fc.option(fc.array(fc.integer({ min: 0, max: nItems - 1 }), { maxLength: 10 }), {
      nil: undefined,
    }),
  }),
);

describe('targetRanks', () => {
  it('ranks a single target by the number of items scoring at least as high', () => {
    // scores: item0 3, item1 5, item2 3 (target), item3 1 → items 0 and 1 score ≥ 3, so rank 3 (tie with 0 lost).
    expect(targetRanks(f32([3, 5, 3, 1]), 0, 4, i32([2]))).toEqual(i32([3]));
  });

  it('breaks ties conservatively: a target tied with every item ranks last', () => {
    expect(targetRanks(f32([0, 0, 0, 0, 0]), 0, 5, i32([0]))).toEqual(i32([5]));
  });

  it('orders tied targets by item index after the tied non-targets', () => {
    // all tied: non-targets 1 and 3 first, then targets 0 (rank 3) and 4 (rank 4) by index
    expect(targetRanks(f32([1, 1, 0, 1, 1]), 0, 5, i32([4, 0]))).toEqual(i32([4, 3]));
  });

  it('removes excluded items from the ranking and marks excluded targets unreachable', () => {
    // item 1 (score 9) excluded → target 2 (score 5) is behind only item 0 (score 7)
    const r = targetRanks(f32([7, 9, 5, 1]), 0, 4, i32([2, 1]), i32([1, 1]));
    expect(r).toEqual(i32([2, UNREACHABLE_RANK]));
  });

  it('ranks -Infinity scores after every finite score', () => {
    expect(targetRanks(f32([-Infinity, -1e30, -Infinity]), 0, 3, i32([0]))).toEqual(i32([3]));
  });

  it('reads the case at the given offset of a batch buffer', () => {
    const batch = f32([9, 9, 9, /* case 2: */ 1, 2, 3]);
    expect(targetRanks(batch, 3, 3, i32([0, 2]))).toEqual(i32([3, 1]));
  });

  it('throws a NUMERIC error naming the item when a score is NaN', () => {
    let err: unknown;
    try {
      targetRanks(f32([-5, 1, NaN, 0]), 0, 4, i32([1]));
    } catch (e) {
      err = e;
    }
    expect(isRecError(err, 'NUMERIC')).toBe(true);
    expect((err as Error).message).toContain('item 2');
    expect(() => targetRanks(f32([1, NaN]), 0, 2, i32([1]))).toThrow(/item 1/);
    // with many targets (binary-search path) and with a few (grouped path)
    const many = Float32Array.from({ length: 40 }, (_, i) => (i === 33 ? NaN : i % 5));
    expect(() =>
      targetRanks(
        many,
        0,
        40,
        Int32Array.from({ length: 20 }, (_, i) => i),
      ),
    ).toThrow(/item 33/);
    expect(() => targetRanks(many, 0, 40, i32([0, 1, 2]))).toThrow(/item 33/);
  });

  it('rejects out-of-range and repeated targets', () => {
    expect(() => targetRanks(f32([1, 2]), 0, 2, i32([2]))).toThrow(/outside the catalogue/);
    expect(() => targetRanks(f32([1, 2]), 0, 2, i32([1, 1]))).toThrow(/twice/);
  });

  it('agrees with the sort-based reference on random inputs with many ties', () => {
    fc.assert(
      fc.property(caseArb, ({ nItems, offset, scores, targets, exclude }) => {
        const s = f32(scores);
        const t = i32(targets);
        const e = exclude ? i32(exclude) : undefined;
        expect(targetRanks(s, offset, nItems, t, e)).toEqual(targetRanksReference(s, offset, nItems, t, e));
      }),
      { numRuns: 500 },
    );
  });

  it('gives distinct ranks to the reachable targets', () => {
    fc.assert(
      fc.property(caseArb, ({ nItems, offset, scores, targets, exclude }) => {
        const r = [
          ...targetRanks(f32(scores), offset, nItems, i32(targets), exclude ? i32(exclude) : undefined),
        ];
        const reachable = r.filter((x) => x !== UNREACHABLE_RANK);
        expect(new Set(reachable).size).toBe(reachable.length);
        for (const x of reachable) expect(x).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
