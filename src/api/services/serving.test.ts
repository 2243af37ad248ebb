import { beforeAll, describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { Rng } from '../../core/rng.js';
import { parseConfig } from '../../models/common/config.js';
import { HybridRecommender, hybridEntry } from '../../models/hybrid/hybrid.js';
import { shopData } from '../../models/hybrid/test-data.js';
import { ModelStore, type LoadedModel } from './model-store.js';
import { DEFAULT_MODEL_POLICY, recommend, type ModelPolicy } from './recommend.js';
import { servingFor } from './serving.js';

const data = shopData({ nUsers: 90, nItems: 60, seed: 9 });
const SERVED: ModelPolicy = { ...DEFAULT_MODEL_POLICY, preference: ['hybrid'], coldStart: [] };
const FULL: ModelPolicy = { ...SERVED, candidates: false };
const store = new ModelStore('/nonexistent');

beforeAll(async () => {
  const m = hybridEntry.create(
    parseConfig('hybrid', hybridEntry.configSchema, {
      components: [
        { name: 'popular-category' },
        { name: 'als', config: { factors: 8, iterations: 3, threads: 1 } },
        { name: 'itemcf', config: { threads: 1 } },
        { name: 'sknn' },
      ],
      candidatesPerComponent: 5,
      minStageCases: 5,
      randomStarts: 2,
      searchRounds: 1,
    }),
  ) as HybridRecommender;
  await m.fit(data, { rng: new Rng(2) });
  const lm: LoadedModel = {
    name: 'hybrid',
    version: 'v1',
    dir: '',
    model: m,
    items: IdMap.fromIds(Array.from({ length: data.nItems }, (_, i) => `i${i}`)),
    users: IdMap.fromIds(Array.from({ length: data.nUsers }, (_, u) => `u${u}`)),
    itemCategory: data.itemCategory,
    meta: { createdAt: '', codeVersion: 'test', dataFingerprint: 'shop', synthetic: true },
    loadedAt: 0,
    serving: servingFor(m, { ann: 'exact' }),
  };
  store.install([lm]);
});

function history(u: number): { items: string[]; events: number[]; ts: number[] } {
  const h = { items: [] as string[], events: [] as number[], ts: [] as number[] };
  for (let r = 0; r < data.events.length; r++) {
    if (data.events.user[r] !== u) continue;
    h.items.push(`i${data.events.item[r]}`);
    h.events.push(data.events.event[r]);
    h.ts.push(data.events.ts[r]);
  }
  return h;
}

describe('recommendations through the hybrid serving path', () => {
  it('attaches a serving path to hybrid models only', () => {
    expect(store.snapshot.models.get('hybrid')!.serving).toBeDefined();
  });

  it('answers exactly as full scoring: items, scores, reasons, also filtered and with exclusions', () => {
    for (let u = 0; u < data.nUsers; u += 4) {
      for (const extra of [{}, { category: 1 }, { exclude: ['i3', 'i4'] }, { k: 25, category: 2 }]) {
        const req = {
          userId: u % 8 === 0 ? `new${u}` : `u${u}`,
          history: history(u),
          k: 6,
          exclude: [] as string[],
          now: data.cutTime,
          ...extra,
        };
        const served = recommend(store.snapshot, SERVED, req);
        const full = recommend(store.snapshot, FULL, req);
        expect(served.model).toBe('hybrid');
        expect(served.items).toEqual(full.items);
        // Evidence names items by external id, never by model index.
        for (const it of served.items)
          if (it.evidence && 'item' in it.evidence) expect(String(it.evidence.item)).toMatch(/^i\d+$/);
      }
    }
  });
});
