import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import {
  ABLATION_TABLE,
  ablationVariants,
  checkPosthoc,
  runAblation,
  summarizeAblation,
  type AblationModelSpec,
  type ExplainingScorer,
} from './ablation.js';
import type { Query } from '../models/types.js';
import type { EvalResult } from './evaluator.js';

/** A result with the given per-case NDCG@10 (HR@20 = NDCG > 0); cases alternate stage browsing/intent. */
function fakeResult(model: string, ndcg: number[]): EvalResult {
  const n = ndcg.length;
  const nd = Float64Array.from(ndcg);
  const hr = Float64Array.from(ndcg, (v) => (v > 0 ? 1 : 0));
  const mean = (a: Float64Array, pick: (i: number) => boolean = () => true): number => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < a.length; i++) {
      if (!pick(i)) continue;
      s += a[i];
      c++;
    }
    return s / c;
  };
  const stage = (i: number): string => (i % 2 === 0 ? 'browsing' : 'intent');
  return {
    model,
    nCases: n,
    nItems: 100,
    ks: [10, 20],
    metricKeys: ['ndcg@10', 'hr@20'],
    perCase: new Map([
      ['ndcg@10', nd],
      ['hr@20', hr],
    ]),
    mean: { 'ndcg@10': mean(nd), 'hr@20': mean(hr) },
    groups: ['browsing', 'intent'].map((s) => ({
      key: 'stage',
      value: s,
      nCases: n / 2,
      mean: { 'ndcg@10': mean(nd, (i) => stage(i) === s) },
    })),
    lists: { k: 20, nLists: n, coverage: 0.1, diversity: 0.5, novelty: 8, averagePopularity: 10 },
    casesFingerprint: 'same-cases',
    elapsedMs: 1,
  } as EvalResult;
}

const base = Array.from({ length: 40 }, (_, i) => 0.2 + (0.3 * ((i * 7) % 5)) / 5);

describe('ablationVariants', () => {
  it('derives each variant from the base config: dropped components, static weights, post-hoc explanations', () => {
    const v = ablationVariants({});
    expect(v.map((x) => x.id)).toEqual(ABLATION_TABLE.map((x) => x.id));
    const byId = Object.fromEntries(v.map((x) => [x.id, x]));
    expect(byId.full).toMatchObject({ model: 'hybrid', config: {}, kind: 'measured' });
    const names = (id: string): string[] =>
      (byId[id].config!.components as { name: string }[]).map((c) => c.name);
    expect(names('no-als')).toEqual(['popular-category', 'popular-decay', 'itemcf', 'sknn', 'item2vec']);
    expect(names('no-session')).toEqual(['popular-category', 'popular-decay', 'als', 'itemcf', 'item2vec']);
    expect(names('no-content')).toEqual(['popular-category', 'popular-decay', 'als', 'itemcf', 'sknn']);
    expect(byId['static-weights']).toMatchObject({ model: 'hybrid-static', config: {}, kind: 'measured' });
    expect(byId['no-explanations']).toMatchObject({
      kind: 'posthoc',
      config: null,
      note: 'no ranking change (explanations are post-hoc)',
    });
  });

  it('skips a variant whose component the hybrid does not have instead of reporting a zero effect', () => {
    const v = ablationVariants({
      components: [
        { name: 'popular', config: {} },
        { name: 'sknn', config: {} },
      ],
      candidatesPerComponent: 50,
    });
    const noAls = v.find((x) => x.id === 'no-als')!;
    expect(noAls.kind).toBe('skipped');
    expect(noAls.note).toContain('no als component');
    const noSession = v.find((x) => x.id === 'no-session')!;
    expect(noSession.config).toEqual({
      components: [{ name: 'popular', config: {} }],
      candidatesPerComponent: 50,
    });
    expect(v.find((x) => x.id === 'static-weights')!.config).toMatchObject({ candidatesPerComponent: 50 });
  });
});

describe('summarizeAblation', () => {
  const variants = ablationVariants({});
  const worse = base.map((v, i) => (i % 4 === 0 ? 0 : v * 0.7));
  const results = [
    fakeResult('hybrid', base),
    fakeResult('hybrid', worse),
    fakeResult('hybrid', base),
    fakeResult(
      'hybrid',
      base.map((v) => v * 1.0),
    ),
    fakeResult('hybrid-static', worse),
  ];
  const s = summarizeAblation(variants, results, { rng: new Rng(1), bootstrap: 200 });

  it('reports the relative change against the full hybrid with paired significance', () => {
    const full = s.rows[0];
    expect(full.kind).toBe('baseline');
    const noAls = s.rows.find((r) => r.id === 'no-als')!.metrics['ndcg@10'];
    const fullNdcg = full.metrics['ndcg@10'].value!;
    expect(noAls.relativeDiff).toBeCloseTo((noAls.value! - fullNdcg) / fullNdcg, 12);
    expect(noAls.relativeDiff!).toBeLessThan(-0.3);
    expect(noAls.pHolm!).toBeLessThan(0.001);
    expect(noAls.marker).toBe('***');
    expect(noAls.ciHigh!).toBeLessThan(0);
    const noSession = s.rows.find((r) => r.id === 'no-session')!.metrics['ndcg@10'];
    expect(noSession).toMatchObject({ diff: 0, relativeDiff: 0, p: 1, marker: '' });
    expect(s.rows.find((r) => r.id === 'static-weights')!.stages.intent).toBeCloseTo(
      worse.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b) / 20,
      12,
    );
  });

  it('gives "without explanations" the identical metric and says why, without a made-up p-value', () => {
    const r = s.rows.find((x) => x.id === 'no-explanations')!;
    expect(r.kind).toBe('posthoc');
    expect(r.metrics['ndcg@10'].value).toBe(s.rows[0].metrics['ndcg@10'].value);
    expect(r.metrics['ndcg@10']).toMatchObject({
      diff: 0,
      relativeDiff: 0,
      p: null,
      pHolm: null,
      marker: '',
    });
    expect(r.note).toBe('no ranking change (explanations are post-hoc)');
  });

  it('is plain JSON (round-trips through the run record)', () => {
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('runAblation', () => {
  it('trains only the measured variants, full hybrid first, and records the post-hoc check', async () => {
    const calls: AblationModelSpec[][] = [];
    const { ablation } = await runAblation({
      run: async (specs) => {
        calls.push(specs);
        return specs.map((sp, i) =>
          fakeResult(
            sp.name,
            base.map((v) => v * (1 - 0.1 * i)),
          ),
        );
      },
      rng: new Rng(2),
      bootstrap: 100,
      posthocCheck: async () => ({ queries: 25, identical: true }),
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].map((x) => x.name)).toEqual(['hybrid', 'hybrid', 'hybrid', 'hybrid', 'hybrid-static']);
    expect(ablation.rows.find((r) => r.id === 'no-explanations')!.note).toContain(
      'identical before and after explaining on 25 queries',
    );
  });

  it('refuses to call explanations post-hoc when explaining changed the scores', async () => {
    await expect(
      runAblation({
        run: async (specs) => specs.map((sp) => fakeResult(sp.name, base)),
        rng: new Rng(3),
        bootstrap: 50,
        posthocCheck: async () => ({ queries: 5, identical: false }),
      }),
    ).rejects.toMatchObject({ code: 'NUMERIC' });
  });
});

describe('checkPosthoc', () => {
  const query: Query = {
    user: 0,
    items: Int32Array.of(1),
    events: Uint8Array.of(0),
    sessionStart: 0,
    time: 0,
  };
  function scorer(mutates: boolean): ExplainingScorer & { explained: number[][] } {
    let bias = 0;
    const explained: number[][] = [];
    return {
      name: 'fake',
      nItems: 5,
      explained,
      scoreBatch(qs, out) {
        for (let q = 0; q < qs.length; q++)
          for (let i = 0; i < 5; i++) out[q * 5 + i] = i === 3 ? -Infinity : i + bias;
      },
      explain(_q, items) {
        explained.push([...items]);
        if (mutates) bias += 1;
      },
    };
  }

  it('explains the top items and finds identical scores when explaining is post-hoc', () => {
    const m = scorer(false);
    expect(checkPosthoc(m, [query, query], 2)).toEqual({ queries: 2, identical: true });
    expect(m.explained).toEqual([
      [4, 2],
      [4, 2],
    ]);
  });

  it('detects explanations that change later scores', () => {
    expect(checkPosthoc(scorer(true), [query], 3).identical).toBe(false);
  });
});
