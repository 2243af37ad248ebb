import { describe, expect, it } from 'vitest';
import { AdamMoments, RowAdam, adamDense } from './adam.js';

describe('Adam on plain arrays', () => {
  it('moves the first step by lr·sign(g) (bias-corrected) and minimises a quadratic', () => {
    const p = Float32Array.of(1, -2);
    const mom = new AdamMoments(2);
    adamDense(p, [0.5, -3], mom, 1, { lr: 0.1 });
    expect(p[0]).toBeCloseTo(0.9, 5);
    expect(p[1]).toBeCloseTo(-1.9, 5);
    for (let t = 2; t <= 500; t++) adamDense(p, [2 * p[0], 2 * p[1]], mom, t, { lr: 0.05 });
    expect(Math.abs(p[0]) + Math.abs(p[1])).toBeLessThan(0.05);
  });

  it('updates only the gathered rows, summing duplicates, like dense Adam on those rows', () => {
    const dim = 2;
    const p = Float32Array.of(1, 1, 2, 2, 3, 3);
    const rows = new RowAdam(3, dim);
    rows.add(2, [0.1, 0.2], 0);
    rows.add(0, [1, 1, 0.3, -0.4], 2);
    rows.add(2, [0.1, 0.2], 0);
    rows.apply(p, 1, { lr: 0.01 });
    expect(Array.from(p.subarray(2, 4))).toEqual([2, 2]); // untouched row
    const ref = Float32Array.of(1, 1, 3, 3);
    adamDense(ref, [0.3, -0.4, 0.2, 0.4], new AdamMoments(4), 1, { lr: 0.01 });
    expect(Array.from(p.subarray(0, 2))).toEqual(Array.from(ref.subarray(0, 2)));
    expect(Array.from(p.subarray(4, 6))).toEqual(Array.from(ref.subarray(2, 4)));
    expect(Array.from(rows.mom.m.subarray(2, 4))).toEqual([0, 0]);
  });
});
