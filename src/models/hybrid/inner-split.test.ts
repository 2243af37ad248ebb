import { describe, expect, it } from 'vitest';
import { allocEvents } from '../../core/events.js';
import { Rng } from '../../core/rng.js';
import { DEFAULT_FUNNEL_CONFIG, FunnelStageCode } from '../../data/processing/funnel.js';
import type { TrainData } from '../types.js';
import { innerSplit, isSessionData } from './inner-split.js';
import { shopData } from './test-data.js';

const base = { fraction: 0.2, sessionGapMs: 1_800_000, funnel: DEFAULT_FUNNEL_CONFIG };

/** Anonymous sessions: one "user" per session, 4 clicks each, sessions 31 minutes apart. */
function sessionData(nSessions = 60, nItems = 12): TrainData {
  const len = 4;
  const ev = allocEvents(nSessions * len);
  const offsets = new Int32Array(nSessions + 1);
  for (let s = 0; s < nSessions; s++) {
    for (let k = 0; k < len; k++) {
      const r = s * len + k;
      ev.ts[r] = s * 31 * 60_000 + k * 1000;
      ev.user[r] = s;
      ev.item[r] = (s + k * 3) % nItems;
      ev.category[r] = -1;
    }
    offsets[s + 1] = (s + 1) * len;
  }
  return {
    nUsers: nSessions,
    nItems,
    events: ev,
    sessions: {
      offsets,
      rows: Int32Array.from({ length: ev.length }, (_, r) => r),
      user: Int32Array.from({ length: nSessions }, (_, s) => s),
    },
    itemCategory: new Int32Array(nItems).fill(-1),
    cutTime: ev.ts[ev.length - 1] + 1,
    synthetic: true,
    fingerprint: 'sessions-test',
  };
}

describe('hybrid inner split: per-stage top-up', () => {
  const data = shopData({ nUsers: 200 });

  it('keeps a natural sample of maxCases users and tops up each stage with users of that stage only', () => {
    const nat = innerSplit(data, { ...base, maxCases: 30, rng: new Rng(1) })!;
    const up = innerSplit(data, { ...base, maxCases: 30, perStageCases: 25, rng: new Rng(1) })!;
    expect(nat.cases.every((c) => c.natural)).toBe(true);
    expect(up.cases.filter((c) => c.natural).map((c) => c.query.user)).toEqual(
      nat.cases.map((c) => c.query.user),
    );
    const have = [0, 0, 0, 0];
    for (const c of up.cases) have[c.stage]++;
    const extra = up.cases.filter((c) => !c.natural);
    expect(extra.length).toBeGreaterThan(0);
    for (const c of extra) expect(have[c.stage]).toBeLessThanOrEqual(25);
    const users = up.cases.map((c) => c.query.user).filter((u) => u >= 0); // cold users are −1
    expect(new Set(users).size).toBe(users.length);
  });

  it('computes each case stage with the shared funnel function as of the inner cut', () => {
    const up = innerSplit(data, { ...base, maxCases: 30, perStageCases: 25, rng: new Rng(2) })!;
    for (const c of up.cases) {
      expect(c.query.time).toBe(up.innerCut);
      if (c.query.items.length === 0) expect(c.stage).toBe(FunnelStageCode.cold);
    }
  });
});

describe('hybrid inner split: anonymous sessions', () => {
  it('detects session data (one session per user) and not user histories', () => {
    expect(isSessionData(sessionData().sessions)).toBe(true);
    expect(isSessionData(shopData().sessions)).toBe(false);
  });

  it('builds P2-style prefix → next item cases from the held-out sessions', () => {
    const data = sessionData();
    const s = innerSplit(data, { ...base, maxCases: 1000, rng: new Rng(1) })!;
    expect(s.mode).toBe('sessions');
    expect(s.cases.length).toBeGreaterThan(0);
    for (const c of s.cases) {
      expect(c.query.user).toBe(-1);
      expect(c.query.items.length).toBeGreaterThanOrEqual(2);
      expect(c.targets.length).toBe(1);
      expect(c.query.time).toBe(c.query.ts![c.query.items.length - 1]);
      expect(c.query.ts![0]).toBeGreaterThanOrEqual(s.innerCut);
    }
    const users = innerSplit(data, { ...base, maxCases: 1000, cases: 'users', rng: new Rng(1) })!;
    expect(users.mode).toBe('users');
    const few = innerSplit(data, { ...base, maxCases: 5, rng: new Rng(1) })!;
    expect(few.cases.length).toBe(5);
  });
});
