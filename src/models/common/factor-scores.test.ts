import { describe, expect, it } from 'vitest';
import type { EpochSession, Query } from '../types.js';
import { runEpochs } from './epochs.js';
import { scoreByFactors } from './factor-scores.js';

const query = (user: number): Query => ({
  user,
  items: new Int32Array(0),
  events: new Uint8Array(0),
  sessionStart: 0,
  time: 0,
});

describe('scoreByFactors', () => {
  // k = 2; users (1, 0) and (0, 2); items (1, 1), (3, −1), (0, 0.5).
  const f = {
    userFactors: Float32Array.of(1, 0, 0, 2),
    itemFactors: Float32Array.of(1, 1, 3, -1, 0, 0.5),
  };

  it('scores known users by the dot product plus the item bias', () => {
    const out = new Float32Array(6);
    scoreByFactors({ ...f, itemBias: Float32Array.of(0.5, 0, -1) }, 2, [query(0), query(1)], out, () => {
      throw new Error('no fold-in for known users');
    });
    expect(Array.from(out)).toEqual([1.5, 3, -1, 2.5, -2, 0]);
  });

  it('folds in unknown users and scores 0 when the fold-in gives nothing', () => {
    const out = new Float32Array(6).fill(9);
    scoreByFactors(f, 2, [query(-1), query(7)], out, (q) =>
      q.user === -1 ? Float32Array.of(1, 1) : undefined,
    );
    expect(Array.from(out)).toEqual([2, 2, 0.5, 0, 0, 0]);
  });
});

describe('runEpochs', () => {
  it('runs epochs 1..n in order and finishes the session even when an epoch throws', async () => {
    const seen: number[] = [];
    let finished = 0;
    const session = (failAt: number): EpochSession => ({
      runEpoch: async (e) => {
        if (e === failAt) throw new Error('boom');
        seen.push(e);
        return { loss: 0 };
      },
      snapshot: () => null,
      restore: () => undefined,
      finish: () => void finished++,
    });
    await runEpochs(session(0), 3);
    expect(seen).toEqual([1, 2, 3]);
    await expect(runEpochs(session(2), 3)).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2, 3, 1]);
    expect(finished).toBe(2);
  });
});
