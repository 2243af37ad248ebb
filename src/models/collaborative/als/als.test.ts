import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.js';
import { trainModel } from '../../../training/trainer.js';
import { historyWeights } from '../../common/csr.js';
import { plantedData } from '../../test-utils/planted.js';
import { AlsConfigSchema, AlsRecommender } from './als.js';
import { gram } from './linalg.js';
import { SolveScratch, solveRowsCholesky } from './solver.js';

const planted = plantedData();
const cfg = (o: Record<string, unknown> = {}) =>
  AlsConfigSchema.parse({ factors: 8, iterations: 8, threads: 1, ...o });

async function trained(o: Record<string, unknown> = {}): Promise<AlsRecommender> {
  const m = new AlsRecommender(cfg(o));
  await trainModel(m, planted.data, { rng: new Rng(5) });
  return m;
}

describe('ALS', () => {
  it('lowers its training loss every epoch', async () => {
    const m = new AlsRecommender(cfg({ solver: 'cholesky' }));
    const report = await trainModel(m, planted.data, { rng: new Rng(1) });
    const losses = report.epochs.map((e) => e.loss);
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThanOrEqual(losses[e - 1] + 1e-9);
  });

  it('trains with the CG solver to nearly the loss of the exact solver', async () => {
    const a = await trainModel(new AlsRecommender(cfg({ iterations: 20 })), planted.data, {
      rng: new Rng(2),
    });
    const b = await trainModel(
      new AlsRecommender(cfg({ iterations: 20, solver: 'cholesky' })),
      planted.data,
      { rng: new Rng(2) },
    );
    const la = a.epochs.at(-1)!.loss;
    const lb = b.epochs.at(-1)!.loss;
    expect(Math.abs(la - lb) / lb).toBeLessThan(0.05); // 3 warm-started CG steps per half-step trail the exact solve slightly
  });

  it('folds in an unseen user exactly as the Cholesky half-step solves a training user', async () => {
    const m = await trained();
    const art = m.toArtifact();
    const Y = art.arrays.itemFactors as Float32Array;
    const q = planted.queries[4];
    const h = historyWeights(q.items, q.events, q.ts, q.time, planted.data.nItems, m.config);
    const folded = m.recalculateUser(h.items, h.weights);
    const X = new Float32Array(8);
    const side = { indptr: Int32Array.of(0, h.items.length), indices: h.items, data: h.weights };
    solveRowsCholesky(
      X,
      Y,
      gram(Y, 8, m.config.regularization),
      side,
      m.config.alpha,
      0,
      1,
      new SolveScratch(8),
    );
    for (let a = 0; a < 8; a++) expect(folded[a]).toBeCloseTo(X[a], 4);
    // and scoring a query with user −1 uses that fold-in
    const out = new Float32Array(planted.data.nItems);
    m.scoreBatch([{ ...q, user: -1 }], out);
    let s = 0;
    for (let a = 0; a < 8; a++) s += folded[a] * Y[3 * 8 + a];
    expect(out[3]).toBeCloseTo(s, 4);
  });

  it('explains a score as contributions of history items that sum to it, largest first', async () => {
    const m = await trained();
    const q = { ...planted.queries[0], user: -1 };
    const item = 2;
    const ex = m.explain(q, item, 100);
    const total = ex.contributions.reduce((s, c) => s + c.contribution, 0);
    expect(total).toBeCloseTo(ex.score, 5);
    const out = new Float32Array(planted.data.nItems);
    m.scoreBatch([q], out);
    expect(ex.score).toBeCloseTo(out[item], 4);
    for (let t = 1; t < ex.contributions.length; t++) {
      expect(ex.contributions[t].contribution).toBeLessThanOrEqual(ex.contributions[t - 1].contribution);
    }
    // a known user is explained from its training history; contributions come from its own group
    const ku = m.explain(0, item, 3);
    expect(ku.contributions.every((c) => planted.itemGroup[c.item] === planted.userGroup[0])).toBe(true);
  });

  it('scores every item 0 for a user with neither a factor nor a history', async () => {
    const m = await trained();
    const out = new Float32Array(planted.data.nItems).fill(7);
    m.scoreBatch(
      [{ user: -1, items: new Int32Array(0), events: new Uint8Array(0), sessionStart: 0, time: 0 }],
      out,
    );
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
