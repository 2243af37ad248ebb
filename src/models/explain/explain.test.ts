import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Item2VecRecommender } from '../content/item2vec/item2vec.js';
import { HybridRecommender, hybridEntry } from '../hybrid/hybrid.js';
import { shopData } from '../hybrid/test-data.js';
import { parseConfig } from '../common/config.js';
import type { Query } from '../types.js';
import { formatMessage, MESSAGES, REASON_CODES } from './messages.js';
import { explainItems, type Explanation } from './explain.js';
import { unpackEvidence } from './evidence.js';

const data = shopData();
const ev = data.events;

/** Independent recounts over the raw training events. */
const usersOf = (item: number): Set<number> =>
  new Set(
    Array.from({ length: ev.length }, (_, r) => r)
      .filter((r) => ev.item[r] === item)
      .map((r) => ev.user[r]),
  );
const buyersOf = (item: number): Set<number> =>
  new Set(
    Array.from({ length: ev.length }, (_, r) => r)
      .filter((r) => ev.item[r] === item && ev.event[r] === 2)
      .map((r) => ev.user[r]),
  );
const countOf = (item: number): number => ev.item.filter((i) => i === item).length;
const recentCountOf = (item: number): number =>
  Array.from(ev.item.keys()).filter((r) => ev.item[r] === item && ev.ts[r] >= data.cutTime - 7 * 86_400_000)
    .length;
const both = (a: Set<number>, b: Set<number>): number => [...a].filter((x) => b.has(x)).length;

function queryOf(u: number): Query {
  const rows = Array.from({ length: ev.length }, (_, r) => r).filter((r) => ev.user[r] === u);
  const ts = Float64Array.from(rows, (r) => ev.ts[r]);
  let start = Math.max(rows.length - 1, 0);
  while (start > 0 && ts[start] - ts[start - 1] <= 1_800_000) start--;
  return {
    user: u,
    items: Int32Array.from(rows, (r) => ev.item[r]),
    events: Uint8Array.from(rows, (r) => ev.event[r]),
    ts,
    sessionStart: start,
    time: data.cutTime,
  };
}

function top(m: HybridRecommender, q: Query, k: number): number[] {
  const s = new Float32Array(m.nItems);
  m.scoreBatch([q], s);
  return Array.from(s.keys())
    .filter((i) => Number.isFinite(s[i]))
    .sort((a, b) => s[b] - s[a] || a - b)
    .slice(0, k);
}

describe('hybrid explanations', () => {
  let model: HybridRecommender;
  const all: { q: Query; e: Explanation }[] = [];
  const forced: { q: Query; e: Explanation }[] = [];
  beforeAll(async () => {
    const cfg = parseConfig('hybrid', hybridEntry.configSchema, {
      components: [
        { name: 'popular-category' },
        { name: 'popular-decay', config: { halfLifeDays: 2 } },
        { name: 'usercf' },
        { name: 'itemcf', config: { threads: 1 } },
        { name: 'sknn' },
        { name: 'item2vec', config: { dim: 8, epochs: 3 } },
      ],
      minStageCases: 5,
      randomStarts: 4,
    });
    model = hybridEntry.create(cfg) as HybridRecommender;
    await model.fit(data, { rng: new Rng(5) });
    const art = model.toArtifact();
    const evidence = unpackEvidence(art.arrays);
    const { signals } = model.weights();
    const models = (model as unknown as { fitted: { components: { model: never }[] } }).fitted.components.map(
      (c) => c.model,
    );
    for (let u = 0; u < data.nUsers; u += 2) {
      const q = queryOf(u);
      const items = top(model, q, 10);
      for (const e of model.explain(q, items, 'en')) all.push({ q, e });
      // Every signal in turn as the only contributor, so that every kind of reason is checked.
      const features = model.features([q])[0];
      for (let c = 0; c < signals.length; c++) {
        const effective = new Float64Array(signals.length);
        effective[c] = 1;
        for (const e of explainItems({
          query: q,
          items,
          locale: 'en',
          labels: {},
          features,
          effective,
          signals,
          models,
          evidence,
        }))
          forced.push({ q, e });
      }
    }
  });

  it('names items in messages by the label the caller gives (the API passes external ids)', () => {
    const labels = { item: (i: number) => `sku-${i}` };
    const evidence = unpackEvidence(model.toArtifact().arrays);
    const { signals } = model.weights();
    const models = (model as unknown as { fitted: { components: { model: never }[] } }).fitted.components.map(
      (c) => c.model,
    );
    let withItem = 0;
    for (let u = 0; u < data.nUsers; u++) {
      const q = queryOf(u);
      const items = top(model, q, 10);
      const features = model.features([q])[0];
      for (let c = 0; c < signals.length; c++) {
        const effective = new Float64Array(signals.length);
        effective[c] = 1;
        for (const { reason } of explainItems({
          query: q,
          items,
          locale: 'en',
          labels,
          features,
          effective,
          signals,
          models,
          evidence,
        })) {
          if (!reason || reason.evidence.item === undefined) continue;
          expect(reason.message).toContain(`sku-${reason.evidence.item}`);
          withItem++;
        }
      }
    }
    expect(withItem).toBeGreaterThan(0);
    // The API adapter passes the same label through and exposes the evidence item for id mapping.
    const q = queryOf(0);
    for (const r of model.explainRecommendations(q, Int32Array.from(top(model, q, 10)), {
      itemLabel: labels.item,
    })) {
      if (r && Array.isArray(r.evidence.items))
        expect(r.text).toContain(`sku-${(r.evidence.items as number[])[0]}`);
    }
  });

  it('explains the same after scoring (features reused) as from scratch', () => {
    const q = queryOf(2);
    const items = top(model, q, 10);
    const fromScratch = model.explain({ ...q }, items, 'en');
    model.scoreBatch([q], new Float32Array(model.nItems));
    expect(model.explain(q, items, 'en')).toEqual(fromScratch);
  });

  it('gives a reason to every recommended item (coverage ≥ 95 %)', () => {
    const covered = all.filter((x) => x.e.reason !== null).length;
    expect(covered / all.length).toBeGreaterThanOrEqual(0.95);
  });

  it('has a reason of every kind when each signal contributes alone', () => {
    expect(new Set(forced.map((x) => x.e.reason?.code))).toEqual(
      new Set(REASON_CODES.filter((c) => c !== 'popular' || forced.some((x) => x.e.reason?.code === c))),
    );
    expect(new Set(forced.map((x) => x.e.reason?.code)).size).toBeGreaterThanOrEqual(6);
  });

  it('only states evidence that holds in the training data', () => {
    const w2v = (model as unknown as { fitted: { components: { model: unknown }[] } }).fitted.components
      .map((c) => c.model)
      .find((m) => m instanceof Item2VecRecommender) as Item2VecRecommender;
    const vec = w2v.itemVectors();
    const d = vec.length / data.nItems;
    for (const { q, e } of [...all, ...forced]) {
      const r = e.reason!;
      const i = e.item;
      const hist = new Set(q.items);
      const ev2 = r.evidence;
      switch (r.code) {
        case 'popular-in-category': {
          const cat = data.itemCategory[i];
          expect(ev2.category).toBe(cat);
          expect(ev2.count).toBe(countOf(i));
          const more = Array.from({ length: data.nItems }, (_, j) => j).filter(
            (j) => data.itemCategory[j] === cat && countOf(j) > countOf(i),
          ).length;
          expect(ev2.rank).toBe(1 + more);
          break;
        }
        case 'popular':
          expect(ev2.count).toBe(countOf(i));
          expect(ev2.count).toBeGreaterThan(0);
          break;
        case 'trending': {
          expect(ev2.days).toBe(7);
          expect(ev2.count).toBe(recentCountOf(i));
          expect(ev2.count).toBeGreaterThan(0);
          const more = Array.from({ length: data.nItems }, (_, j) => j).filter(
            (j) => recentCountOf(j) > recentCountOf(i),
          ).length;
          expect(ev2.rank).toBe(1 + more);
          break;
        }
        case 'based-on-views':
          expect(hist.has(ev2.item)).toBe(true);
          expect(ev2.item).not.toBe(i);
          expect(ev2.commonUsers).toBe(both(usersOf(ev2.item), usersOf(i)));
          expect(ev2.commonUsers).toBeGreaterThan(0);
          break;
        case 'similar-users': {
          let n = 0;
          for (const v of usersOf(i)) {
            if (v === q.user) continue;
            const rows = Array.from({ length: ev.length }, (_, r2) => r2).filter((r2) => ev.user[r2] === v);
            if (rows.some((r2) => ev.item[r2] !== i && hist.has(ev.item[r2]))) n++;
          }
          expect(ev2.users).toBe(n);
          expect(n).toBeGreaterThan(0);
          break;
        }
        case 'bought-together': {
          const inBasket = Array.from(q.items.keys()).some(
            (j) => q.items[j] === ev2.item && q.events[j] >= 1,
          );
          expect(inBasket).toBe(true);
          expect(ev2.count).toBe(both(buyersOf(ev2.item), buyersOf(i)));
          expect(ev2.count).toBeGreaterThan(0);
          break;
        }
        case 'similar-item': {
          expect(hist.has(ev2.item)).toBe(true);
          let s = 0;
          for (let k = 0; k < d; k++) s += vec[ev2.item * d + k] * vec[i * d + k];
          expect(ev2.cosine).toBeCloseTo(s, 5);
          expect(s).toBeGreaterThan(0);
          break;
        }
        case 'similar-sessions': {
          const cur = new Set(q.items.subarray(q.sessionStart));
          cur.delete(i);
          let n = 0;
          const { offsets, rows } = data.sessions;
          for (let s2 = 0; s2 + 1 < offsets.length; s2++) {
            const its = new Set(Array.from(rows.subarray(offsets[s2], offsets[s2 + 1]), (r2) => ev.item[r2]));
            if (its.has(i) && [...cur].some((c) => its.has(c))) n++;
          }
          expect(ev2.sessions).toBe(n);
          expect(n).toBeGreaterThan(0);
          break;
        }
      }
    }
  });

  it('writes the same reasons in Russian, with every placeholder filled', () => {
    const q = queryOf(4);
    const items = top(model, q, 10);
    const en = model.explain(q, items, 'en');
    const ru = model.explain(q, items, 'ru', { item: (i) => `товар ${i}` });
    expect(ru.map((x) => x.reason?.code)).toEqual(en.map((x) => x.reason?.code));
    expect(ru.map((x) => x.reason?.evidence)).toEqual(en.map((x) => x.reason?.evidence));
    for (const x of [...en, ...ru]) expect(x.reason?.message).not.toMatch(/[{}]/);
    expect(ru.some((x) => /[а-я]/i.test(x.reason!.message))).toBe(true);
  });

  it('answers a cold query with popularity reasons', () => {
    const q: Query = {
      user: -1,
      items: new Int32Array(0),
      events: new Uint8Array(0),
      sessionStart: 0,
      time: data.cutTime,
    };
    const ex = model.explain(q, top(model, q, 5), 'en');
    for (const x of ex) expect(['popular', 'popular-in-category', 'trending']).toContain(x.reason?.code);
  });
});

describe('reason messages', () => {
  it('exist for every code in English and Russian', () => {
    for (const code of REASON_CODES) {
      expect(MESSAGES.en[code].length).toBeGreaterThan(5);
      expect(MESSAGES.ru[code]).not.toBe(MESSAGES.en[code]);
    }
  });

  it('fill placeholders from the evidence', () => {
    expect(formatMessage('bought-together', 'en', { item: 'Phone', count: 3 })).toBe(
      'Often bought together with Phone (3 customers bought both)',
    );
    expect(formatMessage('popular-in-category', 'ru', { category: 'Книги', rank: 2 })).toBe(
      'Популярно в категории Книги (№2 в ней)',
    );
  });
});
