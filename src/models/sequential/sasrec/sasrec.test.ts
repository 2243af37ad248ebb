import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { initTf, tf } from '../../neural/index.js';
import { SasRecConfigSchema } from './config.js';
import { encodeLast } from './forward.js';
import { candidateLoss, encode } from './graph.js';
import { makeBatches, makeWindowBatches, trainingSequences } from './sequences.js';
import { SasRecTraining, averageDecay, initialPlain, learningRateAt, toSasWeights } from './training.js';
import { plantedData } from '../../test-utils/planted.js';

describe('sasrec', () => {
  it('encodes a left-padded batch in tfjs exactly as the plain TypeScript forward pass', async () => {
    await initTf('wasm');
    const cfg = SasRecConfigSchema.parse({ hiddenUnits: 8, blocks: 2, maxLen: 6 });
    const plain = initialPlain(cfg, 12, new Rng(4));
    // perturb biases and norms so that every weight matters
    const rng = new Rng(9);
    for (const p of Object.values(plain))
      if (p.shape.length === 1) for (let i = 0; i < p.values.length; i++) p.values[i] += 0.3 * rng.normal();
    const w = toSasWeights(cfg, plain);
    const seqs = [Int32Array.of(3, 1, 4), Int32Array.of(5, 9, 2, 6, 5, 3, 5), Int32Array.of(7, 7)];
    const [b] = makeBatches(seqs, 8, cfg.maxLen);
    const vars = Object.fromEntries(
      Object.entries(plain).map(([k, p]) => [k, tf.variable(tf.tensor(p.values, p.shape))]),
    );
    const h = encode(vars, {
      ids: b.ids,
      B: b.B,
      L: b.L,
      maxLen: cfg.maxLen,
      d: 8,
      nBlocks: 2,
      dropout: 0,
      seed: () => 1,
    });
    const out = h.arraySync();
    for (let r = 0; r < b.B; r++) {
      const ids = Array.from(b.ids.subarray(r * b.L, (r + 1) * b.L))
        .filter((x) => x > 0)
        .map((x) => x - 1);
      const ref = encodeLast(w, ids);
      const got = out[(r + 1) * b.L - 1];
      for (let k = 0; k < 8; k++) expect(got[k]).toBeCloseTo(ref[k], 4);
    }
    tf.dispose([h, ...Object.values(vars)]);
  });

  it('subtracts log expected counts from every logit when the logQ correction is given', async () => {
    await initTf('wasm');
    const rng = new Rng(3);
    const d = 4;
    const nItems = 6;
    const emb = Float32Array.from({ length: (nItems + 1) * d }, () => rng.normal());
    const hA = Float32Array.from({ length: 3 * d }, () => rng.normal());
    const vars = { emb: tf.variable(tf.tensor2d(emb, [nItems + 1, d])) };
    const h = tf.tensor2d(hA, [3, d]);
    const rows = Int32Array.of(0, 2);
    const targets = Int32Array.of(2, 5);
    const cand = Int32Array.of(1, 5, 5, 3); // item 5 is drawn twice and is row 1's target
    const logQ = Float32Array.from({ length: nItems + 1 }, (_, i) => (i === 0 ? 0 : Math.log(0.1 * i)));
    const dot = (r: number, id: number): number => {
      let s = 0;
      for (let k = 0; k < d; k++) s += hA[r * d + k] * emb[id * d + k];
      return s;
    };
    // reference: softmax over [target, candidates ≠ target], every logit minus logQ
    let want = 0;
    for (let t = 0; t < rows.length; t++) {
      const lp = dot(rows[t], targets[t]) - logQ[targets[t]];
      const ls = [
        lp,
        ...Array.from(cand)
          .filter((c) => c !== targets[t])
          .map((c) => dot(rows[t], c) - logQ[c]),
      ];
      const m = Math.max(...ls);
      want += m + Math.log(ls.reduce((a, x) => a + Math.exp(x - m), 0)) - lp;
    }
    want /= rows.length;
    const got = candidateLoss(vars, h, rows, targets, cand, logQ);
    expect(got.dataSync()[0]).toBeCloseTo(want, 4);
    const plain = candidateLoss(vars, h, rows, targets, cand);
    expect(Math.abs(plain.dataSync()[0] - want)).toBeGreaterThan(1e-3);
    tf.dispose([got, plain, h, vars.emb]);
  });

  it('builds batches with the targets of every input position, left-padded, at most maxLen long', () => {
    const [b] = makeBatches([Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6, 7, 8)], 2, 3);
    expect(b.L).toBe(3);
    expect(Array.from(b.ids)).toEqual([0, 2, 3, 6, 7, 8]);
    expect(Array.from(b.rows)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(b.targets)).toEqual([3, 4, 7, 8, 9]);
  });

  it('keeps the number of live tensors constant across epochs', async () => {
    const p = plantedData({ nUsers: 12, nItems: 10, perUser: 4 });
    const cfg = SasRecConfigSchema.parse({ hiddenUnits: 8, blocks: 1, maxLen: 5, negatives: 4 });
    const s = new SasRecTraining(cfg, p.data, { rng: new Rng(1) }, () => {});
    await s.runEpoch();
    const n = tf.memory().numTensors;
    await s.runEpoch();
    await s.runEpoch();
    expect(tf.memory().numTensors).toBe(n);
    s.finish();
  });

  it('decays the learning rate linearly to zero over the configured epochs when asked', async () => {
    const lin = SasRecConfigSchema.parse({ learningRate: 0.01, lrDecay: 'linear' });
    expect(learningRateAt(lin, 0, 100)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(lin, 50, 100)).toBeCloseTo(0.005, 12);
    expect(learningRateAt(lin, 99, 100)).toBeCloseTo(0.0001, 12);
    expect(learningRateAt(SasRecConfigSchema.parse({ learningRate: 0.01 }), 99, 100)).toBe(0.01);
    // behaviour: with the decay, the second of two epochs moves the weights far less than the first
    const p = plantedData({ nUsers: 24, nItems: 10, perUser: 5 });
    const moved = async (lrDecay: 'none' | 'linear'): Promise<number> => {
      const cfg = SasRecConfigSchema.parse({
        hiddenUnits: 8,
        blocks: 1,
        maxLen: 5,
        negatives: 4,
        dropout: 0,
        epochs: 2,
        lrDecay,
      });
      const s = new SasRecTraining(cfg, p.data, { rng: new Rng(1) }, () => {});
      type Snap = Record<string, { values: Float32Array }>;
      const dist = (x: Snap, y: Snap): number =>
        Math.sqrt(
          Object.keys(x).reduce(
            (acc, k) => acc + x[k].values.reduce((a, v, i) => a + (v - y[k].values[i]) ** 2, 0),
            0,
          ),
        );
      const w = (): Snap => structuredClone((s.snapshot() as { vars: Snap }).vars);
      const w0 = w();
      await s.runEpoch();
      const w1 = w();
      await s.runEpoch();
      const w2 = w();
      const ratio = dist(w2, w1) / dist(w1, w0);
      s.finish();
      return ratio;
    };
    const none = await moved('none');
    const linear = await moved('linear');
    expect(linear).toBeLessThan(0.6 * none);
  });

  it('serves a moving average of the weights without changing how they are trained', async () => {
    expect(averageDecay(0.999, 0)).toBeCloseTo(0.1, 12);
    expect(averageDecay(0.999, 90)).toBeCloseTo(91 / 100, 12);
    expect(averageDecay(0.999, 1e6)).toBe(0.999);
    const p = plantedData({ nUsers: 24, nItems: 10, perUser: 5 });
    type Snap = Record<string, { values: Float32Array }>;
    const run = async (weightAverage: number): Promise<{ vars: Snap; served: Snap; published: Snap }> => {
      const cfg = SasRecConfigSchema.parse({
        hiddenUnits: 8,
        blocks: 1,
        maxLen: 5,
        negatives: 4,
        weightAverage,
      });
      let published: Snap = {};
      const s = new SasRecTraining(cfg, p.data, { rng: new Rng(5) }, (x) => (published = structuredClone(x)));
      await s.runEpoch();
      await s.runEpoch();
      const snap = structuredClone(s.snapshot()) as { vars: Snap; served: Snap };
      s.finish();
      return { ...snap, published };
    };
    const maxDiff = (x: Snap, y: Snap): number =>
      Math.max(
        ...Object.keys(x).flatMap((k) => Array.from(x[k].values, (v, i) => Math.abs(v - y[k].values[i]))),
      );
    const plain = await run(0);
    const averaged = await run(0.99);
    const almostNone = await run(1e-9);
    // the trajectory is the same with or without averaging (same seed, same steps)
    expect(maxDiff(plain.vars, averaged.vars)).toBe(0);
    expect(maxDiff(plain.published, plain.vars)).toBe(0);
    // what is served is the average, which lags behind the last weights
    expect(maxDiff(averaged.published, averaged.served)).toBe(0);
    expect(maxDiff(averaged.served, averaged.vars)).toBeGreaterThan(1e-3);
    // a decay of ~0 averages nothing: the served weights are the last ones
    expect(maxDiff(almostNone.served, almostNone.vars)).toBeLessThan(1e-6);
  });

  it('lists training sequences in time order and cuts time-ordered epochs into consecutive windows', () => {
    const p = plantedData({ nUsers: 6, nItems: 10, perUser: 4 });
    const ev = p.data.events;
    // two sessions indexed newest first: the list must put the older one first
    const sessions = {
      offsets: Int32Array.of(0, 3, 6),
      rows: Int32Array.of(6, 7, 8, 0, 1, 2),
      user: Int32Array.of(0, 0),
    };
    const seqs = trainingSequences({ ...p.data, sessions }, 'sessions');
    expect(seqs.map((x) => Array.from(x))).toEqual([
      [ev.item[0], ev.item[1], ev.item[2]],
      [ev.item[6], ev.item[7], ev.item[8]],
    ]);
    // 12 sequences whose first item is their time rank, 3 windows of 4 → batches of 2 per window
    const timed = Array.from({ length: 12 }, (_, t) =>
      Int32Array.from({ length: 2 + (t % 3) }, (_, k) => t + k),
    );
    const w = makeWindowBatches(timed, 2, 5, 3);
    expect(w).toHaveLength(3);
    w.forEach((batches, k) => {
      const firsts = batches.flatMap((b) =>
        Array.from({ length: b.B }, (_, r) => b.ids.subarray(r * b.L, (r + 1) * b.L).find((x) => x > 0)! - 1),
      );
      expect(firsts.sort((x, y) => x - y)).toEqual([4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]);
    });
    expect(makeWindowBatches(timed, 2, 5, 1)).toHaveLength(1);
  });
});
