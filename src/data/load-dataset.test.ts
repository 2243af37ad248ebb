import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, parseDatasetSpec } from './load-dataset.js';

const SHARED_RR = join(import.meta.dirname, '../../../shared/data/retailrocket');
const tmp = mkdtempSync(join(tmpdir(), 'load-dataset-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parseDatasetSpec', () => {
  it('splits at the first colon and keeps the rest of the path', () => {
    expect(parseDatasetSpec('retailrocket:../shared/data/retailrocket')).toEqual({
      kind: 'retailrocket',
      path: '../shared/data/retailrocket',
    });
    expect(parseDatasetSpec('interactions:/a:b.csv')).toEqual({ kind: 'interactions', path: '/a:b.csv' });
  });

  it('rejects unknown kinds and empty paths with a usage error listing the kinds', () => {
    for (const bad of ['kaggle:x', 'retailrocket', 'movielens:', '/just/a/path']) {
      expect(() => parseDatasetSpec(bad)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
    expect(() => parseDatasetSpec('kaggle:x')).toThrow(
      /retailrocket:DIR.*synthetic:DIR.*sessions:DIR.*movielens:DIR.*interactions:FILE/,
    );
  });
});

describe('loadDataset', () => {
  it('says how to get the data when the path is missing', async () => {
    await expect(loadDataset(`retailrocket:${join(tmp, 'nope')}`)).rejects.toMatchObject({
      code: 'DATA_MISSING',
      message: expect.stringMatching(/funnelrec data download.*funnelrec data generate/),
    });
    await expect(loadDataset(`synthetic:${join(tmp, 'nope')}`)).rejects.toThrow(/funnelrec data generate/);
  });

  it('labels synthetic: data synthetic even without a marker', async () => {
    const d = mkdtempSync(join(tmp, 'syn-'));
    writeFileSync(join(d, 'events.csv'), 'timestamp,visitorid,event,itemid,transactionid\n1,2,view,3,\n');
    const ds = await loadDataset(`synthetic:${d}`);
    expect(ds.meta.synthetic).toBe(true);
    expect(ds.meta.name).toMatch(/synthetic/);
    const asInteractions = await loadDataset(`interactions:${join(d, 'events.csv')}`); // visitorid/itemid are aliases
    expect(asInteractions.users.ids()).toEqual(['2']);
    expect(asInteractions.meta.notes![0]).toBe('timestamps read as epoch-seconds');
  });

  it('dispatches sessions:, movielens: and interactions: to their loaders', async () => {
    const d = mkdtempSync(join(tmp, 'kinds-'));
    writeFileSync(join(d, 'train_sessions.txt'), '1 2 1\n');
    writeFileSync(join(d, 'test_sessions_with_time.txt'), '2:100 3:160\n');
    writeFileSync(join(d, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,10,4.5,200\n');
    writeFileSync(join(d, 'x.csv'), 'user,item,timestamp\nu,i,2015-06-01T00:00:00Z\n');
    const s = await loadDataset(`sessions:${d}`);
    expect([s.meta.kind, s.events.length, s.items.size, s.predefinedSplit?.trainRows]).toEqual([
      'sessions',
      5,
      3,
      3,
    ]);
    const m = await loadDataset(`movielens:${d}`);
    expect([m.meta.kind, m.rating?.[0]]).toEqual(['movielens', 4.5]);
    const i = await loadDataset(`interactions:${join(d, 'x.csv')}`);
    expect([i.meta.kind, i.events.ts[0]]).toEqual(['interactions', Date.UTC(2015, 5, 1)]);
  });

  it.skipIf(!existsSync(SHARED_RR))(
    'reads the real sample through retailrocket:DIR (needs ../shared/data)',
    async () => {
      const ds = await loadDataset(`retailrocket:${SHARED_RR}`);
      expect(ds.events.length).toBe(9385);
      expect(ds.meta.kind).toBe('retailrocket');
    },
  );
});
