import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { parseConfig } from '../../common/config.js';
import { initTf, tf } from '../../neural/index.js';
import { plantedData } from '../../test-utils/planted.js';
import { trainModel } from '../../../training/trainer.js';
import {
  TwoTowerConfigSchema,
  TwoTowerRecommender,
  historySlots,
  towerLossGraph,
  twoTowerEntry,
} from './index.js';

describe('two-tower', () => {
  it('pools the most recent history items with event · recency weights summing to 1', () => {
    const ids = new Int32Array(3);
    const wts = new Float32Array(3);
    const n = historySlots(
      Int32Array.of(4, 9, 2, 7, 1),
      Uint8Array.of(0, 0, 2, 0, 1),
      null,
      0,
      5,
      8,
      3,
      0.5,
      Float64Array.of(1, 3, 5),
      ids,
      wts,
    );
    expect(n).toBe(3); // item 9 is outside the catalogue and skipped
    expect(Array.from(ids)).toEqual([1, 7, 2]);
    const raw = [3, 0.5, 5 * 0.25];
    const sum = raw.reduce((a, b) => a + b);
    raw.forEach((r, k) => expect(wts[k]).toBeCloseTo(r / sum, 6));
  });

  it('computes the in-batch softmax loss with logQ correction as written by hand', async () => {
    await initTf('wasm');
    const d = 2;
    // B = 2, L = 1; q_b = h_b (s = 0), v_b = e_b (c = 0), unit vectors already
    const h = [1, 0, 0, 1];
    const e = [0.6, 0.8, 1, 0];
    const logQ = [Math.log(0.5), Math.log(0.1)];
    const tau = 0.5;
    const loss = towerLossGraph(
      tf.tensor2d(h, [2, d]),
      tf.tensor3d([1, 1], [2, 1, 1]),
      tf.zeros([2, d]),
      tf.tensor2d(e, [2, d]),
      tf.zeros([2, d]),
      tf.tensor1d(logQ),
      tf.zeros([2, 2]),
      tf.tensor1d([1, 3]),
      tau,
    ).dataSync()[0];
    const logit = (i: number, j: number) =>
      (h[2 * i] * e[2 * j] + h[2 * i + 1] * e[2 * j + 1]) / tau - logQ[j];
    const ce = (i: number) => Math.log(Math.exp(logit(i, 0)) + Math.exp(logit(i, 1))) - logit(i, i);
    expect(loss).toBeCloseTo((1 * ce(0) + 3 * ce(1)) / 4, 5);
  });

  it('serves candidates through the ANN index that agree with exact scoring', async () => {
    const p = plantedData();
    const m = twoTowerEntry.create(
      parseConfig('two-tower', TwoTowerConfigSchema, { epochs: 2 }),
    ) as TwoTowerRecommender;
    await trainModel(m, p.data, { rng: new Rng(1) });
    const V = m.itemVectors();
    for (let i = 0; i < m.nItems; i++) {
      let s = 0;
      for (let j = 0; j < 64; j++) s += V[i * 64 + j] ** 2;
      expect(s).toBeCloseTo(1, 4);
    }
    const q = p.queries[4];
    const full = new Float32Array(m.nItems);
    m.scoreBatch([q], full);
    const exact = Array.from(full.keys())
      .sort((a, b) => full[b] - full[a] || a - b)
      .slice(0, 10);
    const c = m.candidates(q, 10);
    expect(new Set(c.keys)).toEqual(new Set(exact));
    // the candidate scores are the exact inner products, best first
    for (let k = 0; k < c.keys.length; k++) expect(c.scores[k]).toBeCloseTo(full[c.keys[k]], 4);
  });
});
