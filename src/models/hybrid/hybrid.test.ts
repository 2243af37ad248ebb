import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { DEFAULT_FUNNEL_CONFIG, FunnelStageCode } from '../../data/processing/funnel.js';
import { isRecError } from '../../core/errors.js';
import { parseConfig } from '../common/config.js';
import type { Query } from '../types.js';
import { HybridRecommender, hybridEntry } from './hybrid.js';
import { innerSplit } from './inner-split.js';
import { shopData } from './test-data.js';

const data = shopData();
const SMALL = [
  { name: 'popular-category' },
  { name: 'usercf' },
  { name: 'itemcf', config: { threads: 1 } },
  { name: 'sknn' },
];

async function fitted(extra: Record<string, unknown> = {}): Promise<HybridRecommender> {
  const m = hybridEntry.create(
    parseConfig('hybrid', hybridEntry.configSchema, { components: SMALL, minStageCases: 5, ...extra }),
  ) as HybridRecommender;
  await m.fit(data, { rng: new Rng(3) });
  return m;
}

function scores(m: HybridRecommender, q: Query): Float32Array {
  const s = new Float32Array(m.nItems);
  m.scoreBatch([q], s);
  return s;
}

/** A shopper who viewed item 1, added item 2 to the cart and bought item 3, minutes ago. */
const t = data.cutTime;
const shopper: Query = {
  user: -1,
  items: Int32Array.of(1, 2, 3, 3),
  events: Uint8Array.of(0, 1, 1, 2),
  ts: Float64Array.of(t - 400_000, t - 300_000, t - 200_000, t - 100_000),
  sessionStart: 0,
  time: t,
};

describe('hybrid inner validation split', () => {
  const split = innerSplit(data, {
    fraction: 0.2,
    maxCases: 1000,
    sessionGapMs: 1_800_000,
    funnel: DEFAULT_FUNNEL_CONFIG,
    rng: new Rng(1),
  })!;

  it('trains the components only on events before the inner cut, in the same index space', () => {
    expect(split.train.events.length).toBeGreaterThan(0);
    expect(Math.max(...split.train.events.ts)).toBeLessThan(split.innerCut);
    expect(split.train.cutTime).toBe(split.innerCut);
    expect(split.train.nItems).toBe(data.nItems);
    for (const r of split.train.sessions.rows) expect(r).toBeLessThan(split.train.events.length);
  });

  it('asks each later-active user with their history before the cut and targets what they did after it', () => {
    expect(split.cases.length).toBeGreaterThan(0);
    for (const c of split.cases) {
      for (const x of c.query.ts!) expect(x).toBeLessThan(split.innerCut);
      expect(c.query.time).toBe(split.innerCut);
      const u = c.query.user;
      if (u < 0) expect(c.query.items.length).toBe(0);
      expect(c.stage === FunnelStageCode.cold).toBe(c.query.items.length === 0);
      expect(c.targets.length).toBeGreaterThan(0);
    }
  });
});

describe('funnel-aware hybrid', () => {
  it('never re-recommends a bought item unless repurchase is on', async () => {
    const m = await fitted();
    expect(scores(m, shopper)[3]).toBe(-Infinity);
    const r = await fitted({ repurchase: true });
    expect(Number.isFinite(scores(r, shopper)[3])).toBe(true);
  });

  it('ranks every candidate above every non-candidate and gives no NaN', async () => {
    const m = await fitted();
    const s = scores(m, shopper);
    const x = m.features([shopper])[0];
    const cand = new Set(x.cands);
    let minCand = Infinity;
    let maxOther = -Infinity;
    s.forEach((v, i) => {
      expect(Number.isNaN(v)).toBe(false);
      if (!Number.isFinite(v)) return;
      if (cand.has(i)) minCand = Math.min(minCand, v);
      else maxOther = Math.max(maxOther, v);
    });
    expect(minCand).toBeGreaterThan(maxOther);
  });

  it('puts co-purchase partners of cart items among the candidates (cart complements)', async () => {
    const m = await fitted();
    const x = m.features([shopper])[0];
    const { signals } = m.weights();
    const cart = signals.indexOf('cart');
    expect(cart).toBeGreaterThan(-1);
    const withCart = Array.from(x.cands).filter((_, k) => x.values[k * signals.length + cart] > 0);
    expect(withCart.length).toBeGreaterThan(0);
  });

  it('computes the query stage with the shared funnel function', async () => {
    const m = await fitted();
    const cartOnly: Query = {
      ...shopper,
      items: Int32Array.of(1, 2),
      events: Uint8Array.of(0, 1),
      ts: Float64Array.of(t - 400_000, t - 300_000),
    };
    expect(m.features([shopper])[0].stage).toBe(FunnelStageCode.converted);
    expect(m.features([cartOnly])[0].stage).toBe(FunnelStageCode.intent);
  });

  it('learns weights on the inner validation and reports them', async () => {
    const m = await fitted();
    const rep = m.learnReport!;
    expect(rep.final).toBeGreaterThanOrEqual(rep.shared - 1e-12);
    expect(rep.shared).toBeGreaterThanOrEqual(rep.uniform - 1e-12);
    for (const row of m.weights().stages) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The run record's copy: the same rows, keyed by stage name, and the same inner report.
    const l = m.learned() as { stageWeights: Record<string, number[]>; inner: unknown };
    expect(Object.values(l.stageWeights)).toEqual(m.weights().stages);
    expect(Object.keys(l.stageWeights)).toEqual(['cold', 'browsing', 'intent', 'converted']);
    expect(l.inner).toEqual(rep);
  });

  it('runs the session-only and history-only ablations', async () => {
    for (const fusion of ['session-only', 'history-only', 'none'] as const) {
      const m = await fitted({ fusion });
      expect(scores(m, shopper).some((v) => Number.isFinite(v))).toBe(true);
    }
  });

  it('rejects unknown components and component config keys', () => {
    for (const components of [
      [{ name: 'nope' }],
      [{ name: 'itemcf', config: { bogus: 1 } }],
      [{ name: 'hybrid' }],
    ]) {
      let err: unknown;
      try {
        hybridEntry.create(parseConfig('hybrid', hybridEntry.configSchema, { components }));
      } catch (e) {
        err = e;
      }
      expect(isRecError(err, 'CONFIG_INVALID')).toBe(true);
    }
  });
});
