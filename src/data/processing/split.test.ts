import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRecError } from '../../core/errors.js';
import { temporalSplit, trainValidTestSplit } from './split.js';
import { rowsArb, table } from './test-helpers.js';

const sortedUnion = (a: Int32Array, b: Int32Array): number[] => [...a, ...b].sort((x, y) => x - y);

describe('temporalSplit', () => {
  it('puts rows before the cut in train and rows at or after it in test', () => {
    const t = table([
      [10, 0, 0, 0],
      [20, 1, 1, 0],
      [20, 2, 1, 0],
      [30, 0, 2, 1],
    ]);
    const s = temporalSplit(t, { cutTime: 20 });
    expect([...s.train]).toEqual([0]);
    expect([...s.test]).toEqual([1, 2, 3]);
  });

  it('chooses the cut as the time quantile for a test fraction', () => {
    const t = table(
      Array.from({ length: 10 }, (_, i) => [i * 100, i, 0, 0] as [number, number, number, number]),
    );
    const s = temporalSplit(t, { testFraction: 0.3 });
    expect(s.cutTime).toBe(700);
    expect(s.train.length).toBe(7);
    expect(s.test.length).toBe(3);
  });

  it('rejects both or neither of cutTime and testFraction, and fractions outside (0, 1)', () => {
    const t = table([[1, 0, 0, 0]]);
    for (const bad of [{}, { cutTime: 1, testFraction: 0.1 }, { testFraction: 0 }, { testFraction: 1 }]) {
      expect(() => temporalSplit(t, bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
    try {
      temporalSplit(t, {});
    } catch (e) {
      expect(isRecError(e, 'CONFIG_INVALID')).toBe(true);
    }
  });

  it('partitions any input: train ∪ test = input, disjoint, train ts < cut ≤ test ts', () => {
    fc.assert(
      fc.property(rowsArb(), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (rows, f) => {
        const t = table(rows);
        const s = temporalSplit(t, { testFraction: f });
        expect(sortedUnion(s.train, s.test)).toEqual([...Array(t.length).keys()]);
        for (const r of s.train) expect(t.ts[r]).toBeLessThan(s.cutTime);
        for (const r of s.test) expect(t.ts[r]).toBeGreaterThanOrEqual(s.cutTime);
        if (t.length > 0) expect(s.test.length).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('trainValidTestSplit', () => {
  it('carves validation from train the same way, leaving three disjoint time ranges', () => {
    fc.assert(
      fc.property(
        rowsArb(),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        (rows, tf, vf) => {
          const t = table(rows);
          const s = trainValidTestSplit(t, { testFraction: tf, validFraction: vf });
          const all = [...s.trainRows, ...s.validRows, ...s.testRows].sort((a, b) => a - b);
          expect(all).toEqual([...Array(t.length).keys()]);
          expect(s.validCut).toBeLessThanOrEqual(s.testCut);
          for (const r of s.trainRows) expect(t.ts[r]).toBeLessThan(s.validCut);
          for (const r of s.validRows) {
            expect(t.ts[r]).toBeGreaterThanOrEqual(s.validCut);
            expect(t.ts[r]).toBeLessThan(s.testCut);
          }
          for (const r of s.testRows) expect(t.ts[r]).toBeGreaterThanOrEqual(s.testCut);
        },
      ),
    );
  });

  it('gives the expected sizes on evenly spaced rows', () => {
    const t = table(Array.from({ length: 100 }, (_, i) => [i, 0, 0, 0] as [number, number, number, number]));
    const s = trainValidTestSplit(t, { testFraction: 0.2, validFraction: 0.25 });
    expect([s.trainRows.length, s.validRows.length, s.testRows.length]).toEqual([60, 20, 20]);
    expect([s.validCut, s.testCut]).toEqual([60, 80]);
  });
});
