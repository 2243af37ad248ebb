import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { buildCsr } from '../../common/csr.js';
import { parseConfig } from '../../common/config.js';
import { initTf, tf } from '../../neural/index.js';
import { NcfConfigSchema, NcfScorer, drawSamples, ncfLossGraph, pairLogit } from './index.js';
import { initialNcfWeights } from './training.js';

const cfg = parseConfig('ncf', NcfConfigSchema, { factors: 4, mlpLayers: [8, 6, 3], initStd: 0.5 });
const w = initialNcfWeights(cfg, 3, 7, new Rng(1));

describe('ncf', () => {
  it('scores all items with the fast path as the reference forward does', () => {
    const out = new Float32Array(7);
    new NcfScorer(w).scoreAll(w.pg.subarray(4, 8), w.pm.subarray(4, 8), out);
    for (let i = 0; i < 7; i++)
      expect(out[i]).toBeCloseTo(pairLogit(w, w.pg.subarray(4, 8), w.pm.subarray(4, 8), i), 5);
  });

  it('trains on the same logits as the plain forward (tfjs graph agreement)', async () => {
    await initTf('wasm');
    const users = Int32Array.of(0, 2, 1);
    const items = Int32Array.of(5, 0, 3);
    const rows = (t: Float32Array, ids: Int32Array, d: number) =>
      tf.tensor2d(
        Float32Array.from(Array.from(ids).flatMap((i) => Array.from(t.subarray(i * d, (i + 1) * d)))),
        [ids.length, d],
      );
    const ins = [8, 8, 6];
    const { logits } = ncfLossGraph(
      w.layers,
      rows(w.pg, users, 4),
      rows(w.qg, items, 4),
      rows(w.pm, users, 4),
      rows(w.qm, items, 4),
      w.W.map((a, l) => tf.tensor2d(a, [ins[l], w.layers[l]])),
      w.b.map((a) => tf.tensor1d(a)),
      tf.tensor2d(w.h, [w.h.length, 1]),
      tf.tensor1d([1, 0, 1]),
      tf.tensor1d([1, 1, 1]),
    );
    const z = logits.dataSync();
    for (let r = 0; r < 3; r++)
      expect(z[r]).toBeCloseTo(
        pairLogit(
          w,
          w.pg.subarray(users[r] * 4, users[r] * 4 + 4),
          w.pm.subarray(users[r] * 4, users[r] * 4 + 4),
          items[r],
        ),
        4,
      );
  });

  it('has a fold-in gradient that matches finite differences', () => {
    const pg = Float32Array.of(0.3, -0.2, 0.5, 0.1);
    const pm = Float32Array.of(-0.4, 0.2, 0.6, -0.1);
    const gPg = new Float32Array(4);
    const gPm = new Float32Array(4);
    pairLogit(w, pg, pm, 2, gPg, gPm);
    const eps = 1e-3;
    for (const [vec, grad] of [
      [pg, gPg],
      [pm, gPm],
    ] as const) {
      for (let k = 0; k < 4; k++) {
        const p = Float64Array.from(vec);
        const m = Float64Array.from(vec);
        p[k] += eps;
        m[k] -= eps;
        const f = (v: Float64Array) => (vec === pg ? pairLogit(w, v, pm, 2) : pairLogit(w, pg, v, 2));
        expect(grad[k]).toBeCloseTo((f(p) - f(m)) / (2 * eps), 4);
      }
    }
  });

  it("draws negatives outside the user's items, `negatives` per positive, weighted positives", () => {
    const m = buildCsr([0, 0, 1], [1, 2, 0], [3, 1, 5], 2, 6);
    const rng = new Rng(3);
    const s = drawSamples(m, 4, () => rng.int(6), rng);
    expect(s.user.length).toBe(15);
    let pos = 0;
    for (let r = 0; r < 15; r++) {
      if (s.label[r] === 1) {
        pos++;
        expect(s.weight[r]).toBe(s.user[r] === 1 ? 5 : s.item[r] === 1 ? 3 : 1);
      } else expect(s.user[r] === 0 ? [1, 2] : [0]).not.toContain(s.item[r]);
    }
    expect(pos).toBe(3);
  });
});
