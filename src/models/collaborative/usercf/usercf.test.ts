import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { countsTrainData } from '../itemcf/test-data.js';
import type { Query } from '../../types.js';
import { UserCfConfigSchema, UserCfRecommender } from './usercf.js';

/**
 * Reference: cosine against every training user (dense rows), full sort, weighted sum of rows.
 * Returns null when the k-th and (k+1)-th similarities tie (float32 vs float64 may pick either).
 */
function reference(m: number[][], q: number[], k: number, self: number): number[] | null {
  const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const nq = norm(q);
  const all = m
    .map((row, v) => ({
      v,
      row,
      s:
        v === self || nq === 0 || norm(row) === 0
          ? 0
          : row.reduce((a, x, i) => a + x * q[i], 0) / (norm(row) * nq),
    }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.v - b.v);
  if (all.length > k && Math.abs(all[k - 1].s - all[k].s) < 1e-6) return null;
  const sims = all.slice(0, k);
  return q.map((_, i) => sims.reduce((acc, { row, s }) => acc + (s * row[i]) / norm(row), 0));
}

function queryOf(counts: number[], user = -1): Query {
  const items: number[] = [];
  counts.forEach((c, i) => {
    for (let r = 0; r < c; r++) items.push(i);
  });
  return {
    user,
    items: Int32Array.from(items),
    events: new Uint8Array(items.length),
    sessionStart: 0,
    time: 0,
  };
}

describe('User-CF', () => {
  it('agrees with a dense reference (cosine over every user, top-k, weighted rows)', async () => {
    const matrix = fc.array(fc.array(fc.nat(3), { minLength: 6, maxLength: 6 }), {
      minLength: 2,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        matrix,
        fc.array(fc.nat(2), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        async (m, q, k) => {
          if (m.every((row) => row.every((x) => x === 0))) return;
          const model = new UserCfRecommender(
            UserCfConfigSchema.parse({ neighbours: k, popularityTieBreak: 0 }),
          );
          await model.fit(countsTrainData(m), { rng: new Rng(1) });
          const out = new Float32Array(6);
          const self = m.length > 1 ? 0 : -1;
          model.scoreBatch([queryOf(q, self)], out);
          const ref = reference(m, q, k, self);
          ref?.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('scores a user unseen at training from their history alone', async () => {
    const model = new UserCfRecommender(UserCfConfigSchema.parse({ neighbours: 1, popularityTieBreak: 0 }));
    await model.fit(
      countsTrainData([
        [1, 1, 0, 0],
        [0, 0, 1, 1],
        [0, 1, 1, 0],
      ]),
      { rng: new Rng(1) },
    );
    const out = new Float32Array(4);
    model.scoreBatch([queryOf([0, 0, 0, 1])], out);
    // Most similar user: user 1 (cos 1/√2); user 2 shares nothing.
    expect(out[2]).toBeCloseTo(0.5, 6);
    expect(out[3]).toBeCloseTo(0.5, 6);
    expect(out[0]).toBe(0);
  });
});
