import { describe, expect, it } from 'vitest';
import { firstNan, nanScoreError, sortedContains } from './case-scores.js';

describe('case score helpers', () => {
  it('find the first NaN inside the case only', () => {
    const s = Float32Array.of(NaN, 1, 2, NaN, 3, NaN);
    expect(firstNan(s, 1, 4)).toBe(2);
    expect(firstNan(s, 1, 2)).toBe(-1);
  });

  it('name the item and the offset in the NaN error', () => {
    const e = nanScoreError(7, 30);
    expect(e.code).toBe('NUMERIC');
    expect(e.message).toContain('item 7');
    expect(e.message).toContain('offset 30');
  });

  it('find exactly the members of a sorted array', () => {
    const a = Int32Array.of(-3, 0, 4, 9);
    expect([-4, -3, 0, 1, 4, 9, 10].map((x) => sortedContains(a, x))).toEqual([
      false,
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
    expect(sortedContains(new Int32Array(0), 0)).toBe(false);
  });
});
