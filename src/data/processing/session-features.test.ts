import { describe, expect, it } from 'vitest';
import { FUNNEL_STAGES, sessionFeatures } from './features.js';
import { sessionize } from './sessions.js';
import { DAY, HOUR, MIN, table } from './test-helpers.js';

describe('sessionFeatures', () => {
  const t = table([
    [0, 0, 1, 0, -1, 5],
    [2 * MIN, 0, 2, 0, -1, 6],
    [3 * MIN, 0, 2, 1, -1, 6], // cart, never bought: intent
    [10 * HOUR, 0, 3, 0, -1, -1],
    [10 * HOUR + MIN, 0, 3, 2, 9, 7], // bought: converted
    [DAY, 1, 4, 0, -1, 5],
    [DAY + 5 * MIN, 1, 4, 1, -1, 5], // after asOf below: the session is seen truncated
  ]);
  const s = sessionize(t);

  it('gives length, duration, distinct categories and stage of every session before asOf', () => {
    const f = sessionFeatures(t, s, DAY + MIN);
    expect([...s.user]).toEqual([0, 0, 1]);
    expect([...f.length]).toEqual([3, 2, 1]);
    expect([...f.durationMs]).toEqual([3 * MIN, MIN, 0]);
    expect([...f.distinctCategories]).toEqual([2, 1, 1]);
    expect([...f.funnelStage].map((c) => FUNNEL_STAGES[c])).toEqual(['intent', 'converted', 'browsing']);
  });

  it('sees sessions that start after asOf as empty and cold', () => {
    const f = sessionFeatures(t, s, 5 * HOUR);
    expect([...f.length]).toEqual([3, 0, 0]);
    expect([...f.funnelStage].map((c) => FUNNEL_STAGES[c])).toEqual(['intent', 'cold', 'cold']);
  });
});
