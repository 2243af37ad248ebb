import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { SparseRowUpdater, initTf, tf } from '../../neural/index.js';
import { plantedData } from '../../test-utils/planted.js';
import { Gru4RecConfigSchema } from './config.js';
import { sessionState, type GruWeights } from './forward.js';
import { batchLoss } from './graph.js';
import { sessionParallelSteps } from './session-parallel.js';
import { Gru4RecTraining, initialWeights } from './training.js';

describe('session-parallel mini-batches', () => {
  it('feed each session in order, reset a row when its session ends, refill it, then shrink', () => {
    const sessions = [Int32Array.of(1, 2, 3), Int32Array.of(4, 5), Int32Array.of(9), Int32Array.of(6, 7, 8)];
    const steps = [...sessionParallelSteps(sessions, 2)];
    expect(
      steps.map((s) => [
        Array.from(s.input),
        Array.from(s.target),
        Array.from(s.reset),
        s.keep && Array.from(s.keep),
      ]),
    ).toEqual([
      [[1, 4], [2, 5], [0, 1], null],
      [[2, 6], [3, 7], [1, 0], null],
      [[7], [8], [1], [1]],
    ]);
  });
});

describe('SparseRowUpdater', () => {
  it('sums duplicate rows and applies Adagrad with momentum only to the touched rows', () => {
    const u = new SparseRowUpdater(4, 2, 1);
    const p = Float32Array.of(1, 1, 2, 2, 3, 3, 4, 4);
    const acc = new Float32Array(8);
    const vel = new Float32Array(8);
    u.add(2, [0.5, 1], 0, 1);
    u.add(0, [9, 0.25, 9, 0.5], 1, 2); // strided: 0.25, 0.5
    u.add(2, [0.5, -1], 0, 1);
    u.apply(p, acc, vel, 0.1, 0.5);
    // row 2: g = (1, 0) → acc (1, 0); u = (1/√(1+1e-6), 0); v = −0.1 u
    expect(p[4]).toBeCloseTo(3 - 0.1 / Math.sqrt(1 + 1e-6), 6);
    expect(p[5]).toBe(3);
    expect(p[0]).toBeCloseTo(1 - (0.1 * 0.25) / Math.sqrt(0.0625 + 1e-6), 6);
    expect(Array.from(p.subarray(2, 4))).toEqual([2, 2]);
    expect(Array.from(p.subarray(6, 8))).toEqual([4, 4]);
    expect(acc[1]).toBeCloseTo(0.25, 7);
  });
});

describe('GRU4Rec training graph', () => {
  it('computes the same hidden state in tfjs as the plain TypeScript forward pass', async () => {
    await initTf('wasm');
    const cfg = Gru4RecConfigSchema.parse({ layers: [6, 5], dropoutEmbed: 0, dropoutHidden: 0, nSample: 3 });
    const w: GruWeights = initialWeights(cfg, 9, new Rng(2));
    const rng = new Rng(3);
    w.bh.forEach((b) => b.forEach((_, i) => (b[i] = 0.3 * rng.normal())));
    const items = [4, 1, 7];
    const vars = cfg.layers.map((h, l) => ({
      wx: tf.tensor2d(w.wx[l], [l === 0 ? 5 : 6, 3 * h]),
      wrz: tf.tensor2d(w.wrz[l], [h, 2 * h]),
      wh: tf.tensor2d(w.wh[l], [h, h]),
      bh: tf.tensor1d(w.bh[l]),
    }));
    let hidden = cfg.layers.map((h) => tf.zeros([1, h]) as tf.Tensor2D);
    for (const it of items) {
      const ex = tf.tensor2d(w.wy.subarray(it * 5, it * 5 + 5), [1, 5]);
      const ey = tf.tensor2d(w.wy.subarray(0, 5 * 2), [2, 5]);
      const eyT = tf.transpose(ey) as tf.Tensor2D;
      const by = tf.zeros([2]) as tf.Tensor1D;
      const next: tf.Tensor2D[] = [];
      tf.dispose(
        batchLoss(cfg, vars, { ex, eyT, ey, by, hidden, seeds: [1, 2, 3] }, ex, eyT, by, false, next),
      );
      tf.dispose([ex, ey, eyT, by, ...hidden]);
      hidden = next;
    }
    const ref = sessionState(w, items, 0, items.length)!;
    const got = hidden[1].dataSync();
    for (let k = 0; k < 5; k++) expect(got[k]).toBeCloseTo(ref[k], 5);
    tf.dispose([...hidden, ...vars.flatMap((v) => Object.values(v))]);
  });

  it('keeps the number of live tensors constant across epochs', async () => {
    const p = plantedData({ nUsers: 12, nItems: 10, perUser: 4 });
    const cfg = Gru4RecConfigSchema.parse({ layers: [8], batchSize: 4, nSample: 5 });
    const s = new Gru4RecTraining(cfg, p.data, { rng: new Rng(1) }, () => {});
    await s.runEpoch();
    const n = tf.memory().numTensors;
    await s.runEpoch();
    await s.runEpoch();
    expect(tf.memory().numTensors).toBe(n);
    s.finish();
  });
});
