import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { isRecError } from '../../../core/errors.js';
import { sessionQuery as query, tinyTrainData, type EventRow } from '../../collaborative/itemcf/test-data.js';
import type { Query } from '../../types.js';
import { MarkovConfigSchema, MarkovRecommender, type MarkovConfig } from './markov.js';

// Sessions: s0 = 0 → 1 → 2, s1 = 0 → 1 → 1 → 3, s2 = 2 → 0 (user 1 has two sessions).
const ROWS: EventRow[] = [
  [0, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 2, 1, 0],
  [1, 0, 0, 1],
  [1, 1, 0, 1],
  [1, 1, 1, 1],
  [1, 3, 0, 1],
  [1, 2, 0, 2],
  [1, 0, 0, 2],
];

async function fitted(cfg: Partial<MarkovConfig> = {}): Promise<MarkovRecommender> {
  const m = new MarkovRecommender(
    MarkovConfigSchema.parse({ popularityTieBreak: 0, selfRules: false, ...cfg }),
  );
  await m.fit(tinyTrainData(ROWS, 5), { rng: new Rng(1) });
  return m;
}

function score(m: MarkovRecommender, q: Query): number[] {
  const out = new Float32Array(m.nItems);
  m.scoreBatch([q], out);
  return Array.from(out);
}

describe('markov (first-order Markov chain / sequential rules)', () => {
  it('counts the transitions out of the session’s last item, never across sessions or to itself', async () => {
    const m = await fitted();
    // 1 is followed by 2 (s0) and 3 (s1; the 1 → 1 repeat is no rule).
    expect(score(m, query([4, 1]))).toEqual([0, 0, 1, 1, 0]);
    // 2 → 0 inside s2 only: the end of s0 (2) and the start of s2 are different sessions for 3 → 2.
    expect(score(m, query([2]))).toEqual([1, 0, 0, 0, 0]);
    expect(score(m, query([3]))).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps an item’s repeat as a rule to itself by default', async () => {
    const m = await fitted({ selfRules: true });
    // s1 has 1 → 1 (a view, then add-to-cart of the same item).
    expect(score(m, query([1]))).toEqual([0, 1, 1, 1, 0]);
    expect(MarkovConfigSchema.parse({}).selfRules).toBe(true);
  });

  it('adds rules up to `steps` apart weighted 1/d (sequential rules)', async () => {
    const m = await fitted({ steps: 3 });
    // out of 0: s0 → 1 (d 1), 2 (d 2); s1 → 1 (d 1), 1 (d 2), 3 (d 3).
    const s = score(m, query([0]));
    expect(s[1]).toBeCloseTo(1 + 1 + 1 / 2, 6);
    expect(s[2]).toBeCloseTo(1 / 2, 6);
    expect(s[3]).toBeCloseTo(1 / 3, 6);
    expect(s[0]).toBe(0);
    const lin = score(await fitted({ steps: 3, weighting: 'linear' }), query([0]));
    expect(lin[3]).toBeCloseTo(1 / 3, 6);
    expect(lin[2]).toBeCloseTo(2 / 3, 6);
  });

  it('reads the rules of earlier session items at 1/(j+1) when context > 1, only inside the current session', async () => {
    const m = await fitted({ context: 2 });
    // context [1, 0] newest first: rules(1) · 1 + rules(0) · ½ = {2: 1, 3: 1} + {1: 2 · ½}.
    expect(score(m, query([0, 1]))).toEqual([0, 1, 1, 1, 0]);
    // the current session starts at index 1: item 0 before it is not context.
    expect(score(m, query([0, 1], 1))).toEqual([0, 0, 1, 1, 0]);
  });

  it('falls back to popularity for an empty query and ignores unknown items', async () => {
    const m = new MarkovRecommender(MarkovConfigSchema.parse({}));
    await m.fit(tinyTrainData(ROWS, 5), { rng: new Rng(1) });
    const s = score(m, query([-1, 99]));
    const order = [0, 1, 2, 3, 4].sort((a, b) => s[b] - s[a] || a - b);
    expect(order.slice(0, 3)).toEqual([0, 1, 2]); // 3, 3 and 2 events
    expect(s[4]).toBe(0);
  });

  it('lists the strongest next items of an item', async () => {
    const m = await fitted({ steps: 2 });
    expect(m.next(0)).toEqual([
      { item: 1, weight: 2.5 },
      { item: 2, weight: 0.5 },
    ]);
  });

  it('rejects an artifact without its rule matrix', async () => {
    const a = (await fitted()).toArtifact();
    const broken = { ...a, arrays: { ...a.arrays, indptr: new Int32Array(2) } };
    let err: unknown;
    try {
      MarkovRecommender.fromArtifact(broken, MarkovConfigSchema.parse({}));
    } catch (e) {
      err = e;
    }
    expect(isRecError(err) && err.code).toBe('ARTIFACT_INVALID');
  });
});
