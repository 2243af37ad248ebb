import { describe, expect, it } from 'vitest';
import { candidateCount, rankCandidates } from './candidates.js';

describe('candidate ranking', () => {
  it('asks for max(k · perK, min) candidates, never more than the catalogue', () => {
    expect(candidateCount(10, { perK: 10, min: 200 }, 10_000)).toBe(200);
    expect(candidateCount(50, { perK: 10, min: 200 }, 10_000)).toBe(500);
    expect(candidateCount(50, { perK: 10, min: 200 }, 300)).toBe(300);
  });

  it('keeps the best k that pass the filter and are not excluded, ties by lower index', () => {
    const c = { keys: Int32Array.of(7, 3, 9, 1, 4, -1), scores: Float32Array.of(0.9, 0.5, 0.5, 0.8, 0.7, 1) };
    const r = rankCandidates(c, 3, (i) => i !== 4, new Set([7]));
    expect(Array.from(r.items)).toEqual([1, 3, 9]);
    expect(Array.from(r.scores)).toEqual([Math.fround(0.8), 0.5, 0.5]);
    expect(rankCandidates(c, 10, () => true, new Set()).items).toHaveLength(5); // key -1 = no result
  });
});
