import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { sessionQuery as query, tinyTrainData, type EventRow } from '../../collaborative/itemcf/test-data.js';
import { sknnReference, SknnScorer, type SknnParams } from './neighbours.js';
import { buildSessionIndex } from './session-index.js';
import { SessionKnnRecommender, sknnConfigSchema } from './sknn.js';

// Sessions (one per user): s0 {0,1,2}, s1 {0,1}, s2 {1,3}, s3 {3,4}; s3 ends last.
const ROWS: EventRow[] = [
  [0, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 2, 0, 0],
  [1, 0, 0, 1],
  [1, 1, 0, 1],
  [2, 1, 0, 2],
  [2, 3, 0, 2],
  [3, 3, 0, 3],
  [3, 4, 0, 3],
];

async function scores(variant: 'sknn' | 'vsknn', cfg: object, items: number[]): Promise<Float32Array> {
  const m = new SessionKnnRecommender(sknnConfigSchema(variant).parse({ popularityTieBreak: 0, ...cfg }));
  await m.fit(tinyTrainData(ROWS), { rng: new Rng(1) });
  const out = new Float32Array(m.nItems);
  m.scoreBatch([query(items)], out);
  return out;
}

describe('session-kNN', () => {
  it('scores items by the binary cosine of the sessions holding them (SKNN)', async () => {
    const out = await scores('sknn', {}, [0, 1]);
    // sim(s0) = 2/√6, sim(s1) = 2/√4 = 1, sim(s2) = 1/√4; s3 shares nothing.
    const s0 = 2 / Math.sqrt(6);
    expect(out[0]).toBeCloseTo(s0 + 1, 6);
    expect(out[1]).toBeCloseTo(s0 + 1 + 0.5, 6);
    expect(out[2]).toBeCloseTo(s0, 6);
    expect(out[3]).toBeCloseTo(0.5, 6);
    expect(out[4]).toBe(0);
  });

  it('keeps only the k most similar sessions and the most recent sampled ones', async () => {
    expect(Array.from(await scores('sknn', { k: 1 }, [0, 1]))).toEqual([1, 1, 0, 0, 0]);
    // Recency ranks: s3 (0), s2 (1), s1 (2), s0 (3); sampleSize 2 on item 1 keeps s2, s1.
    const out = await scores('sknn', { sampleSize: 2 }, [1]);
    expect(out[2]).toBe(0);
    expect(out[3]).toBeCloseTo(1 / Math.sqrt(2), 6);
  });

  it('weights the last items more and decays neighbours matched earlier (V-SKNN)', async () => {
    const out = await scores('vsknn', { weighting: 'div', scoreDecay: 'div' }, [0, 3]);
    // pos weights: item 0 → 1/2, item 3 → 1. s0, s1 share item 0 (sim ½, matched at step 2 → ×½);
    // s2, s3 share item 3 (sim 1, step 1).
    expect(out[0]).toBeCloseTo(0.25 + 0.25, 6);
    expect(out[1]).toBeCloseTo(0.25 + 0.25 + 1, 6);
    expect(out[3]).toBeCloseTo(2, 6);
    expect(out[4]).toBeCloseTo(1, 6);
  });

  it("leaves the session's own items out when remind is off", async () => {
    const out = await scores('sknn', { remind: false }, [0, 1]);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeGreaterThan(0);
  });

  it('gives the same scores from the fast kernel as from the reference kernel', () => {
    const session = fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 7 });
    const params = fc.record({
      variant: fc.constantFrom('sknn' as const, 'vsknn' as const),
      k: fc.integer({ min: 1, max: 8 }),
      sampleSize: fc.integer({ min: 0, max: 10 }),
      weighting: fc.constantFrom(
        'same' as const,
        'div' as const,
        'linear' as const,
        'log' as const,
        'quadratic' as const,
      ),
      scoreDecay: fc.constantFrom(
        'same' as const,
        'div' as const,
        'linear' as const,
        'log' as const,
        'quadratic' as const,
      ),
      idfWeighting: fc.constantFrom(0, 1, 2),
      idfSession: fc.boolean(),
      remind: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(session, { minLength: 1, maxLength: 25 }),
        params,
        session,
        (train, p: SknnParams, current) => {
          const rows: EventRow[] = train.flatMap((s, u) => s.map((it) => [u, it, 0, u] as EventRow));
          const index = buildSessionIndex(tinyTrainData(rows, 12));
          const input = { items: current, weights: current.map(() => 1) };
          const fast = Array.from(new SknnScorer(index, p).score(input));
          const ref = Array.from(sknnReference(index, p, input));
          fast.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 9));
        },
      ),
      { numRuns: 300 },
    );
  });
});
