import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../core/rng.js';
import { parseConfig } from '../../models/common/config.js';
import {
  TwoTowerConfigSchema,
  TwoTowerRecommender,
  twoTowerEntry,
} from '../../models/retrieval/two-tower/index.js';
import { plantedData } from '../../models/test-utils/planted.js';
import { saveArtifact } from '../../training/artifact-store.js';
import { trainModel } from '../../training/trainer.js';
import { buildApp } from '../app.js';
import { canGenerateCandidates } from '../services/candidates.js';
import { EventLog } from '../services/event-log.js';
import { ModelStore, type LoadedModel } from '../services/model-store.js';
import { OnlineState } from '../services/online-state.js';
import { buildQuery, DEFAULT_MODEL_POLICY, type ModelPolicy } from '../services/recommend.js';

const NOW = Date.UTC(2026, 0, 1);
const CANDIDATES = { perK: 2, min: 8 }; // k = 4 → 8 of 40 items
const POLICY: ModelPolicy = {
  ...DEFAULT_MODEL_POLICY,
  preference: ['two-tower'],
  coldStart: [],
  candidates: CANDIDATES,
};
const itemId = (i: number): string => `i${i}`;
const p = plantedData(); // 40 items: group (= category) 0 is items 0..19, group 1 is 20..39

let root: string;
let models: ModelStore;
let log: EventLog;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  const m = twoTowerEntry.create(
    parseConfig('two-tower', TwoTowerConfigSchema, { epochs: 3, dim: 16 }),
  ) as TwoTowerRecommender;
  await trainModel(m, p.data, { rng: new Rng(3) });
  root = mkdtempSync(join(tmpdir(), 'funnelrec-api-ann-'));
  const dir = join(root, 'two-tower', 'v1');
  const a = m.toArtifact();
  await saveArtifact(
    dir,
    { ...a, arrays: { ...a.arrays, itemCategory: Int32Array.from(p.itemGroup) } },
    {
      createdAt: new Date(0).toISOString(),
      codeVersion: 'test',
      dataFingerprint: 'planted',
      synthetic: true,
    },
  );
  await writeFile(
    join(dir, 'items.txt'),
    Array.from({ length: p.data.nItems }, (_, i) => itemId(i)).join('\n'),
  );
  await writeFile(
    join(dir, 'users.txt'),
    Array.from({ length: p.data.nUsers }, (_, u) => `u${u}`).join('\n'),
  );
  await writeFile(join(root, 'two-tower', 'LATEST'), 'v1');
  models = new ModelStore(root);
  await models.reload();
  log = new EventLog(':memory:');
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await log.close();
  await rm(root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

async function app(policy: ModelPolicy): Promise<FastifyInstance> {
  const a = await buildApp({
    models,
    state: new OnlineState(),
    log,
    now: () => NOW,
    config: { rateLimit: false, policy },
  });
  apps.push(a);
  return a;
}

const loaded = (): LoadedModel => models.snapshot.models.get('two-tower')!;

/** A group-0 session: views of items 1, 2, 3 then a cart of item 0. */
const session = [1, 2, 3, 0].map((i, j) => ({
  item_id: itemId(i),
  event: j === 3 ? 'addtocart' : 'view',
  ts: NOW - (4 - j) * 60_000,
}));

/** The model's own ANN candidates for `session` (n = max(k · 2, 8)). */
function annCandidates(k: number): Set<string> {
  const lm = loaded();
  const q = buildQuery(
    lm,
    undefined,
    {
      items: session.map((e) => e.item_id),
      events: session.map((e) => (e.event === 'view' ? 0 : 1)),
      ts: session.map((e) => e.ts),
    },
    NOW,
    POLICY.sessionGapMs,
  );
  if (!canGenerateCandidates(lm.model)) throw new Error('two-tower should offer candidates');
  return new Set(
    Array.from(lm.model.candidates(q, Math.max(k * CANDIDATES.perK, CANDIDATES.min)).keys, itemId),
  );
}

type Body = { model: string; items: { id: string; score: number; category: number | null }[] };
async function recommendSession(a: FastifyInstance, extra: Record<string, unknown>): Promise<Body> {
  const r = await a.inject({
    method: 'POST',
    url: '/recommendations/session',
    payload: { events: session, ...extra },
  });
  expect(r.statusCode).toBe(200);
  return r.json() as Body;
}

describe('recommendations through ANN candidates (two-tower)', () => {
  it('ranks only the ANN candidates, best first, without scoring the full catalogue', async () => {
    const a = await app(POLICY);
    const full = vi.spyOn(loaded().model, 'scoreBatch');
    const b = await recommendSession(a, { k: 4 });
    expect(b.model).toBe('two-tower');
    expect(b.items).toHaveLength(4);
    const cands = annCandidates(4);
    for (const it of b.items) expect(cands.has(it.id)).toBe(true);
    expect(b.items.map((i) => i.id)).not.toContain(itemId(0)); // carted: not recommended again
    for (let r = 1; r < b.items.length; r++)
      expect(b.items[r - 1].score).toBeGreaterThanOrEqual(b.items[r].score);
    expect(full).not.toHaveBeenCalled();
  });

  it('keeps the exclude and category filters on the candidate path', async () => {
    const a = await app(POLICY);
    const first = (await recommendSession(a, { k: 2 })).items[0].id;
    const full = vi.spyOn(loaded().model, 'scoreBatch');
    const b = await recommendSession(a, { k: 2, exclude: [first], category: 0 });
    expect(b.items).toHaveLength(2);
    expect(b.items.map((i) => i.id)).not.toContain(first);
    for (const it of b.items) {
      expect(it.category).toBe(0);
      expect(annCandidates(2).has(it.id)).toBe(true);
    }
    expect(full).not.toHaveBeenCalled();
  });

  it('falls back to full scoring when too few candidates pass the category filter', async () => {
    const a = await app(POLICY);
    const full = vi.spyOn(loaded().model, 'scoreBatch');
    // A group-0 session asking for 10 items of category 1: its 20 nearest items are mostly group 0.
    const b = await recommendSession(a, { k: 10, category: 1 });
    expect(b.items).toHaveLength(10);
    for (const it of b.items) expect(it.category).toBe(1);
    expect(full).toHaveBeenCalledTimes(1);
  });

  it('scores the full catalogue when candidate generation is switched off, with the same top items', async () => {
    const exact = await recommendSession(await app({ ...POLICY, candidates: false }), { k: 4 });
    const ann = await recommendSession(await app(POLICY), { k: 4 });
    // HNSW over 40 vectors is exact in practice: both paths give the same list and scores.
    expect(ann.items.map((i) => i.id)).toEqual(exact.items.map((i) => i.id));
    ann.items.forEach((it, r) => expect(it.score).toBeCloseTo(exact.items[r].score, 4));
  });
});
