import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { topK } from '../../evaluation/list-metrics.js';
import { parseConfig } from '../common/config.js';
import type { Query } from '../types.js';
import { isConstant } from './features.js';
import { HybridRecommender, hybridEntry } from './hybrid.js';
import { HybridServing } from './serve-candidates.js';
import { shopData } from './test-data.js';
import { topN } from './top-n.js';

const data = shopData({ nUsers: 120, nItems: 80, seed: 4 });
const COMPONENTS = [
  { name: 'popular-category' },
  { name: 'als', config: { factors: 8, iterations: 3, threads: 1 } },
  { name: 'itemcf', config: { threads: 1 } },
  { name: 'sknn' },
  { name: 'item2vec', config: { dim: 8, epochs: 2, threads: 1 } },
];

async function fitted(extra: Record<string, unknown>): Promise<HybridRecommender> {
  const cfg = parseConfig('hybrid', hybridEntry.configSchema, {
    components: COMPONENTS,
    candidatesPerComponent: 6,
    minStageCases: 5,
    randomStarts: 2,
    searchRounds: 1,
    ...extra,
  });
  const m = hybridEntry.create(cfg) as HybridRecommender;
  await m.fit(data, { rng: new Rng(7) });
  return m;
}

/** Queries: each user's history (known and as an anonymous session), a cart shopper, nobody. */
function queries(): Query[] {
  const byUser = new Map<number, number[]>();
  for (let r = 0; r < data.events.length; r++) {
    const u = data.events.user[r];
    if (!byUser.has(u)) byUser.set(u, []);
    byUser.get(u)!.push(r);
  }
  const out: Query[] = [];
  for (const [u, rows] of byUser) {
    if (u % 3 !== 0) continue;
    const q = {
      items: Int32Array.from(rows, (r) => data.events.item[r]),
      events: Uint8Array.from(rows, (r) => data.events.event[r]),
      ts: Float64Array.from(rows, (r) => data.events.ts[r]),
      sessionStart: Math.max(0, rows.length - 3),
      time: data.cutTime,
    };
    out.push({ ...q, user: u }, { ...q, user: -1 });
  }
  out.push({
    user: -1,
    items: Int32Array.of(5, 6, 6),
    events: Uint8Array.of(0, 1, 2),
    ts: Float64Array.of(data.cutTime - 3e5, data.cutTime - 2e5, data.cutTime - 1e5),
    sessionStart: 0,
    time: data.cutTime,
  });
  out.push({
    user: -1,
    items: new Int32Array(0),
    events: new Uint8Array(0),
    sessionStart: 0,
    time: data.cutTime,
  });
  return out;
}

function fullRow(m: HybridRecommender, q: Query): Float32Array {
  const row = new Float32Array(m.nItems);
  m.scoreBatch([q], row);
  return row;
}

describe.each(['rank', 'minmax'] as const)('hybrid serving path (%s normalisation, exact index)', (norm) => {
  let model: HybridRecommender;
  let serving: HybridServing;
  const qs = queries();
  beforeAll(async () => {
    model = await fitted({ normalisation: norm });
    serving = new HybridServing(model, { ann: 'exact' });
  });

  it('serves popularity, neighbour and vector components without full scoring', () => {
    expect(serving.servers.map((s) => s.kind)).toEqual(['sparse', 'ann', 'sparse', 'sparse', 'ann']);
  });

  it('gives every component the same top list and raw scores as its full score row', () => {
    const skip = new Uint8Array(model.nItems);
    skip[3] = 1;
    const comps = model.servingState.components;
    for (const q of qs) {
      comps.forEach((c, k) => {
        const row = new Float32Array(model.nItems);
        c.model.scoreBatch([q], row);
        const view = serving.servers[k].view(q);
        const want = isConstant(row) ? new Int32Array(0) : topN(row, 6, skip);
        expect(Array.from(view.top(6, skip)), `${c.name}`).toEqual(Array.from(want));
        const items = Int32Array.from({ length: model.nItems }, (_, i) => i);
        const got = new Float32Array(model.nItems);
        view.scores(items, got);
        if (!isConstant(row)) expect(got, `${c.name} scores`).toEqual(row);
      });
    }
  });

  it('fuses the candidates to exactly the scores of the full path', () => {
    for (const q of qs) {
      const row = fullRow(model, q);
      const c = serving.candidates(q);
      expect(c.items.length).toBeGreaterThan(0);
      for (let j = 0; j < c.items.length; j++) expect(c.scores[j]).toBe(row[c.items[j]]);
    }
  });

  it('ranks the same top-k as the full path, also with a category filter and exclusions', () => {
    const cat = data.itemCategory;
    for (const q of qs) {
      for (const k of [5, 30]) {
        const row = fullRow(model, q);
        const want = topK(row, 0, model.nItems, k);
        const got = serving.rank(q, k);
        expect(Array.from(got.items)).toEqual(Array.from(want));
        expect(Array.from(got.scores)).toEqual(Array.from(want, (i) => row[i]));
        const filtered = row.map((s, i) => (cat[i] === 2 ? s : -Infinity));
        const exclude = new Set([want[0], want[1]]);
        const wantF = topK(filtered, 0, model.nItems, k, Int32Array.from(exclude));
        const gotF = serving.rank(q, k, (i) => cat[i] === 2, exclude);
        expect(Array.from(gotF.items)).toEqual(Array.from(wantF));
      }
    }
  });

  it('explains from its own features exactly as the model explains after full scoring', () => {
    for (const q of qs.slice(0, 10)) {
      const top = serving.rank(q, 5).items;
      const mine = serving.explainRecommendations(q, top);
      fullRow(model, q);
      expect(mine).toEqual(model.explainRecommendations(q, top));
    }
  });
});

describe('hybrid serving path with the usearch HNSW index', () => {
  it('finds the full path top-10 on a small catalogue', async () => {
    const model = await fitted({});
    const serving = new HybridServing(model, { ann: 'usearch' });
    let hit = 0;
    let total = 0;
    for (const q of queries()) {
      const want = new Set(topK(fullRow(model, q), 0, model.nItems, 10));
      for (const i of serving.rank(q, 10).items) hit += want.has(i) ? 1 : 0;
      total += want.size;
    }
    expect(hit / total).toBeGreaterThan(0.95);
  });
});
