import { describe, expect, it } from 'vitest';
import { allocEvents } from '../../../core/events.js';
import { Rng } from '../../../core/rng.js';
import { trainModel } from '../../../training/trainer.js';
import { plantedData } from '../../test-utils/planted.js';
import type { TrainData } from '../../types.js';
import { BPR_PARALLEL_MIN_NNZ, BprConfigSchema, BprRecommender, learningRateAt } from './bpr.js';

const planted = plantedData();
const n = planted.data.nItems;

describe('BPR', () => {
  it('folds in an unseen user so that their own item group ranks first', async () => {
    const m = new BprRecommender(BprConfigSchema.parse({ factors: 8, threads: 1 }));
    await trainModel(m, planted.data, { rng: new Rng(4) });
    let inGroup = 0;
    for (const u of [1, 2, 5]) {
      const out = new Float32Array(n);
      m.scoreBatch([{ ...planted.queries[u], user: -1 }], out);
      const top = Array.from(out.keys())
        .sort((a, b) => out[b] - out[a])
        .slice(0, 5);
      inGroup += top.filter((i) => planted.itemGroup[i] === planted.userGroup[u]).length;
    }
    expect(inGroup / 15).toBeGreaterThan(0.9);
  });

  it('scores every item 0 for an unknown user without history', async () => {
    const m = new BprRecommender(BprConfigSchema.parse({ factors: 8, iterations: 2, threads: 1 }));
    await trainModel(m, planted.data, { rng: new Rng(4) });
    const out = new Float32Array(n).fill(3);
    m.scoreBatch(
      [{ user: -1, items: new Int32Array(0), events: new Uint8Array(0), sessionStart: 0, time: 0 }],
      out,
    );
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('follows the configured learning-rate schedule', () => {
    const c = (o: object) => BprConfigSchema.parse({ learningRate: 0.1, ...o });
    expect(learningRateAt(c({}), 7, 10)).toBe(0.1);
    expect(learningRateAt(c({ lrSchedule: 'linear' }), 6, 10)).toBeCloseTo(0.05);
    expect(learningRateAt(c({ lrSchedule: 'exponential', lrDecay: 0.5 }), 3, 10)).toBeCloseTo(0.025);
  });

  it('learns with Hogwild worker threads: the training loss falls', async () => {
    // two blocks of 600 users × 100 items, 50 interactions per user: above the parallel threshold
    const nUsers = 1200;
    const per = 50;
    const ev = allocEvents(nUsers * per);
    const rng = new Rng(2);
    for (let u = 0, r = 0; u < nUsers; u++) {
      for (let j = 0; j < per; j++, r++) {
        ev.user[r] = u;
        ev.item[r] = (u % 2) * 100 + rng.int(100);
        ev.ts[r] = r;
      }
    }
    expect(ev.length).toBeGreaterThanOrEqual(BPR_PARALLEL_MIN_NNZ);
    const data: TrainData = {
      nUsers,
      nItems: 200,
      events: ev,
      sessions: { offsets: Int32Array.of(0), rows: new Int32Array(0), user: new Int32Array(0) },
      itemCategory: new Int32Array(200).fill(-1),
      cutTime: ev.length,
      synthetic: true,
      fingerprint: 'blocks',
    };
    const m = new BprRecommender(BprConfigSchema.parse({ factors: 8, iterations: 4, threads: 2 }));
    const report = await trainModel(m, data, { rng: new Rng(1) });
    const losses = report.epochs.map((e) => e.loss);
    expect(losses[3]).toBeLessThan(losses[0] * 0.8);
    const out = new Float32Array(200);
    m.scoreBatch(
      [{ user: 3, items: new Int32Array(0), events: new Uint8Array(0), sessionStart: 0, time: 0 }],
      out,
    );
    let own = 0;
    let other = 0;
    for (let i = 0; i < 100; i++) {
      own += out[100 + i];
      other += out[i];
    }
    expect(own).toBeGreaterThan(other);
  });
});
