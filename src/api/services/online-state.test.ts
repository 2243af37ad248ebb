import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnlineState } from './online-state.js';
import type { LoadedModel } from './model-store.js';
import { buildQuery } from './recommend.js';
import { IdMap } from '../../core/ids.js';

describe('OnlineState', () => {
  it('keeps each history in time order, capped at maxHistory, whatever the arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            u: fc.constantFrom('a', 'b'),
            t: fc.integer({ min: 0, max: 1000 }),
            e: fc.constantFrom(0, 1, 2),
          }),
          {
            maxLength: 60,
          },
        ),
        (evs) => {
          const s = new OnlineState(10);
          for (const [i, x] of evs.entries())
            s.apply({ userId: x.u, itemId: `i${i}`, event: x.e as 0 | 1 | 2, ts: x.t });
          for (const u of ['a', 'b']) {
            const all = evs.filter((x) => x.u === u);
            const h = s.history(u);
            if (all.length === 0) return h === undefined;
            expect(h!.version).toBe(all.length);
            expect(h!.ts.length).toBe(Math.min(10, all.length));
            expect([...h!.ts]).toEqual([...h!.ts].sort((p, q) => p - q));
          }
          expect(
            s.funnel(null, null).events.view +
              s.funnel(null, null).events.addtocart +
              s.funnel(null, null).events.transaction,
          ).toBe(evs.length);
          return true;
        },
      ),
    );
  });

  it('counts an event posted now in the funnel stage at once', () => {
    const s = new OnlineState();
    const now = 1_000_000;
    s.apply({ userId: 'u', itemId: 'x', event: 1, ts: now });
    expect(s.stage('u', now)).toBe('intent');
    s.apply({ userId: 'u', itemId: 'x', event: 2, ts: now });
    expect(s.stage('u', now)).toBe('converted');
    expect(s.stage('nobody', now)).toBe('cold');
  });
});

describe('buildQuery', () => {
  const lm = {
    items: IdMap.fromIds(['a', 'b', 'c']),
    users: IdMap.fromIds(['u1']),
  } as unknown as LoadedModel;
  const gap = 30 * 60_000;

  it('maps known items, drops unknown ones, and starts the session after the last long gap', () => {
    const now = 10 * gap;
    const q = buildQuery(
      lm,
      'u1',
      { items: ['a', 'zz', 'b', 'c'], events: [0, 0, 1, 0], ts: [0, 1, now - gap / 2, now - 1] },
      now,
      gap,
    );
    expect(q.user).toBe(0);
    expect([...q.items]).toEqual([0, 1, 2]);
    expect([...q.events]).toEqual([0, 1, 0]);
    expect(q.sessionStart).toBe(1);
  });

  it('has an empty current session when the last event is older than the gap, and user -1 when unknown', () => {
    const q = buildQuery(lm, 'stranger', { items: ['a'], events: [0], ts: [0] }, 2 * gap, gap);
    expect(q.user).toBe(-1);
    expect(q.sessionStart).toBe(1);
  });
});
