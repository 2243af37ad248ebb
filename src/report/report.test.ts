import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { ablationVariants, summarizeAblation } from '../evaluation/ablation.js';
import type { EvalResult } from '../evaluation/evaluator.js';
import { buildReport, findingsOf, selectRecords, type FunnelRecord, type ReportRecord } from './index.js';

interface ModelSpec {
  model: string;
  ndcg: number;
  stage?: Record<string, number>;
  target?: Record<string, number>;
  coverage?: number;
}

function record(opts: {
  id?: string;
  createdAt?: string;
  synthetic: boolean;
  models: ModelSpec[];
  baseline?: string;
  pHolm?: number;
  funnel?: FunnelRecord;
}): ReportRecord {
  const base = opts.baseline ?? opts.models[0].model;
  const baseNdcg = opts.models.find((m) => m.model === base)!.ndcg;
  const res = (m: ModelSpec) => ({
    nCases: 100,
    nItems: 50,
    mean: { 'ndcg@10': m.ndcg, 'hr@20': m.ndcg * 3, 'mrr@20': m.ndcg },
    groups: Object.entries(m.stage ?? {}).map(([value, v]) => ({
      key: 'stage',
      value,
      nCases: 25,
      mean: { 'ndcg@10': v },
    })),
    lists: {
      k: 20,
      nLists: 100,
      coverage: m.coverage ?? 0.1,
      diversity: 0.5,
      novelty: 8,
      averagePopularity: 12,
    },
    casesFingerprint: 'f',
    elapsedMs: 1,
  });
  return {
    recordVersion: 1,
    id: opts.id ?? 'run-1',
    createdAt: opts.createdAt ?? '2026-01-01T00:00:00.000Z',
    codeVersion: 'test',
    seed: 1,
    stage: 'test',
    dataset: {
      kind: opts.synthetic ? 'synthetic' : 'retailrocket',
      name: 'shop <sample>',
      path: 'x',
      synthetic: opts.synthetic,
      fingerprint: 'abcdef0123456789',
      notes: [],
    },
    synthetic: opts.synthetic,
    protocol: 'p1',
    protocolConfig: {},
    description: 'P1 user-level temporal',
    counts: { testUsers: 100 },
    clean: undefined,
    models: opts.models.map((m) => ({
      model: m.model,
      config: {},
      artifactKey: m.model,
      reusedArtifact: false,
      train: undefined,
      result: res(m),
      breakdowns: Object.fromEntries(
        Object.entries(m.target ?? {}).map(([k, v]) => [
          k,
          { ...res(m), nCases: 30, mean: { 'ndcg@10': v, 'hr@20': v * 2 } },
        ]),
      ),
    })),
    comparison: opts.models
      .filter((m) => m.model !== base)
      .map((m) => ({
        model: m.model,
        baseline: base,
        metric: 'ndcg@10',
        nCases: 100,
        mean: m.ndcg,
        baselineMean: baseNdcg,
        diff: m.ndcg - baseNdcg,
        relativeDiff: (m.ndcg - baseNdcg) / baseNdcg,
        t: 3,
        p: opts.pHolm ?? 0.001,
        pHolm: opts.pHolm ?? 0.001,
        ciLow: m.ndcg - baseNdcg - 0.01,
        ciHigh: m.ndcg - baseNdcg + 0.01,
        ciLevel: 0.95,
        effectSize: 0.3,
        significant: (opts.pHolm ?? 0.001) < 0.05,
        marker: (opts.pHolm ?? 0.001) < 0.01 ? '**' : '',
      })),
    funnel: opts.funnel,
  } as unknown as ReportRecord;
}

const funnel: FunnelRecord = {
  events: { view: 10000, addtocart: 260, transaction: 83 },
  visitors: { all: 5000, view: 5000, addtocart: 150, transaction: 50 },
  rates: { cartPerView: 0.026, transactionPerCart: 83 / 260 },
  synthetic: true,
  source: 'all events',
};

const losing = record({
  synthetic: true,
  funnel,
  models: [
    {
      model: 'popular',
      ndcg: 0.02,
      stage: { browsing: 0.02, intent: 0.01 },
      target: { 'target=transaction': 0.01 },
    },
    {
      model: 'itemcf',
      ndcg: 0.06,
      stage: { browsing: 0.05, intent: 0.09 },
      target: { 'target=transaction': 0.08 },
      coverage: 0.3,
    },
    {
      model: 'hybrid',
      ndcg: 0.05,
      stage: { browsing: 0.06, intent: 0.04 },
      target: { 'target=transaction': 0.05 },
      coverage: 0.2,
    },
  ],
});

describe('findingsOf', () => {
  it('says plainly where the hybrid does not win: overall, per stage and per target event type', () => {
    const text = findingsOf(losing).map((f) => `${f.kind}: ${f.text}`);
    expect(text).toContainEqual(
      expect.stringMatching(
        /^loss: hybrid does NOT beat the best single model itemcf on NDCG@10: 5\.00% vs 6\.00%/,
      ),
    );
    expect(text).toContainEqual(
      expect.stringMatching(/^loss: hybrid loses on stage=intent \(25 cases\): 4\.00% vs itemcf 9\.00%/),
    );
    expect(text).toContainEqual(expect.stringMatching(/^loss: hybrid loses on target=transaction/));
    expect(text.join('\n')).not.toMatch(/stage=browsing/);
    expect(text.join('\n')).toContain('significance against itemcf is not in this record');
  });

  it('calls a significant lead a win, quoting the paired test against the best single model', () => {
    const r = record({
      synthetic: false,
      baseline: 'itemcf',
      pHolm: 0.004,
      models: [
        { model: 'itemcf', ndcg: 0.05 },
        { model: 'hybrid', ndcg: 0.06 },
      ],
    });
    expect(findingsOf(r)).toContainEqual({
      kind: 'win',
      text: expect.stringMatching(
        /^hybrid beats the best single model itemcf on NDCG@10: .*Holm p = 0\.0040\*\*, d_z = 0\.300\)\.$/,
      ),
    });
  });

  it('quotes the paired test when the baseline is the best single model, and warns when nothing is significant', () => {
    const r = record({
      synthetic: false,
      baseline: 'itemcf',
      pHolm: 0.2,
      models: [
        { model: 'itemcf', ndcg: 0.05 },
        { model: 'hybrid', ndcg: 0.06 },
      ],
    });
    const text = findingsOf(r)
      .map((f) => `${f.kind}: ${f.text}`)
      .join('\n');
    expect(text).toMatch(
      /warn: hybrid is ahead of the best single model itemcf on NDCG@10, but not significantly: 6\.00% vs 5\.00% \(\+20\.0%\) \(paired t-test, Holm p = 0\.2000.*no evidence that it beats it/,
    );
    expect(text).toMatch(/warn: No model differs significantly from itemcf/);
    expect(text).not.toMatch(/SYNTHETIC/);
  });
});

describe('buildReport', () => {
  const html = buildReport([losing], { generatedAt: 'T' });

  it('is self-contained: no scripts, no external URLs, no linked resources', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('labels every chart of synthetic data SYNTHETIC and escapes record text', () => {
    const titles = [...html.matchAll(/<svg[^>]*aria-label="([^"]*)"/g)].map((m) => m[1]);
    expect(titles.length).toBeGreaterThanOrEqual(5);
    for (const t of titles) expect(t).toContain('SYNTHETIC');
    expect(html).not.toContain('shop <sample>');
    expect(html).toContain('shop &lt;sample&gt;');
  });

  it('shows model comparison, stages, target types, funnel and coverage, each table naming its baseline', () => {
    for (const h of [
      'Model comparison',
      'By funnel stage',
      'By target event type',
      'Conversion funnel',
      'Coverage vs accuracy',
    ])
      expect(html).toContain(`<h3>${h}</h3>`);
    const captions = [...html.matchAll(/<caption>([^<]*)<\/caption>/g)].map((m) => m[1]);
    const inSections = captions.slice(1).filter((c) => !c.includes('official RetailRocket'));
    for (const c of inSections) expect(c.toLowerCase()).toContain('baseline');
    expect(html).toContain('popular (baseline)');
    expect(html).toContain('↓ 2.60% of previous');
  });

  it('shows the weights the hybrid learned per funnel stage when the record has them', () => {
    const r = record({
      synthetic: true,
      models: [
        { model: 'popular', ndcg: 0.02 },
        { model: 'hybrid', ndcg: 0.03 },
      ],
    });
    const learned = {
      signals: ['popular-category', 'itemcf'],
      stageWeights: { cold: [1, 0], browsing: [0.25, 0.75], intent: [0.4, 0.6], converted: [0.4, 0.6] },
      theta: [0.5, 0, 0, 0],
      inner: { stageCases: [900, 80, 3, 1], ownWeights: [true, true, false, false] },
    };
    const withLearned = { ...r, models: r.models.map((m) => (m.model === 'hybrid' ? { ...m, learned } : m)) };
    const out = buildReport([withLearned], { generatedAt: 'T' });
    expect(out).toContain('<h3>Learned weights</h3>');
    const section = out.slice(out.indexOf('<h3>Learned weights</h3>'));
    expect(section).toContain('<th>popular-category</th><th>itemcf</th>');
    expect(section).toMatch(
      /<td>browsing<\/td><td class="num">0\.250<\/td><td class="num">0\.750<\/td><td class="num">80<\/td><td>own row<\/td>/,
    );
    expect(section).toMatch(/<td>converted<\/td>.*<td>shared row<\/td>/);
    expect(section).toContain('θ = (0.50, 0.00, 0.00, 0.00)');
    expect(html).not.toContain('Learned weights');
  });

  it('renders the ablation with the post-hoc explanation row and skipped variants', () => {
    const variants = ablationVariants({
      components: [
        { name: 'popular-category', config: {} },
        { name: 'als', config: {} },
        { name: 'sknn', config: {} },
      ],
    });
    const mk = (v: number[]): EvalResult =>
      ({
        model: 'hybrid',
        nCases: v.length,
        nItems: 9,
        ks: [10],
        metricKeys: ['ndcg@10'],
        perCase: new Map([['ndcg@10', Float64Array.from(v)]]),
        mean: { 'ndcg@10': v.reduce((a, b) => a + b) / v.length },
        groups: [],
        lists: { k: 10, nLists: 4, coverage: 0, diversity: 0, novelty: 0, averagePopularity: 0 },
        casesFingerprint: 'f',
        elapsedMs: 0,
      }) as EvalResult;
    const ab = summarizeAblation(
      variants,
      [
        mk([0.3, 0.2, 0.4, 0.1]),
        mk([0.1, 0.2, 0.1, 0.1]),
        mk([0.3, 0.3, 0.4, 0.1]),
        mk([0.3, 0.2, 0.3, 0.1]),
      ],
      { rng: new Rng(1), bootstrap: 50 },
    );
    const withAb = { ...losing, ablation: ab } as ReportRecord;
    const out = buildReport([withAb]);
    expect(out).toContain('<h3>Ablation of the hybrid</h3>');
    expect(out).toContain('no ranking change (explanations are post-hoc)');
    expect(out).toMatch(/>[^<]*\(not\u00a0run\)<\/text>/);
    expect(out).toContain('the hybrid has no item2vec component');
    expect(out).toContain('Ablation: relative change of NDCG@10 vs the full hybrid — SYNTHETIC data');
    expect(
      findingsOf(withAb)
        .map((f) => f.text)
        .join('\n'),
    ).toMatch(/without session models: no significant loss/);
  });

  it('shows the newest record per protocol, data set and model list', () => {
    const older = { ...losing, id: 'old', createdAt: '2025-01-01T00:00:00.000Z' } as ReportRecord;
    expect(selectRecords([older, losing]).map((r) => r.id)).toEqual(['run-1']);
    expect(selectRecords([older, losing], true).map((r) => r.id)).toEqual(['run-1', 'old']);
  });
});
