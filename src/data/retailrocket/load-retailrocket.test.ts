import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countByEvent } from '../../core/events.js';
import { isRecError } from '../../core/errors.js';
import { loadRetailRocket } from './load-retailrocket.js';

const SHARED = join(import.meta.dirname, '../../../../shared/data/retailrocket');
const SAMPLE = join(SHARED, 'events_sample_5000visitors.csv');
const HEADER = 'timestamp,visitorid,event,itemid,transactionid';
const dirs: string[] = [];

function tempDir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'rr-load-'));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isRecError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

describe.skipIf(!existsSync(SAMPLE))('loadRetailRocket on the real sample (needs ../shared/data)', () => {
  it('reads every event of the 5,000-visitor sample with the published counts', async () => {
    const d = tempDir();
    copyFileSync(SAMPLE, join(d, 'events.csv'));
    copyFileSync(join(SHARED, 'category_tree.csv'), join(d, 'category_tree.csv'));
    const ds = await loadRetailRocket(d);
    expect(ds.events.length).toBe(9385);
    expect(countByEvent(ds.events)).toEqual({ view: 9076, addtocart: 263, transaction: 46 });
    expect(ds.users.size).toBe(5000);
    expect(ds.items.size).toBe(6610);
    expect(ds.categoryParent?.size).toBe(1669);
    for (let i = 1; i < ds.events.length; i++)
      expect(ds.events.ts[i]).toBeGreaterThanOrEqual(ds.events.ts[i - 1]);
    expect(ds.meta.synthetic).toBe(false);
    expect(ds.meta.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(ds.meta.notes?.join('\n')).toMatch(/category_tree.csv: md5 matches the official file/);
    expect(ds.meta.notes?.join('\n')).toMatch(/item_properties_part1\/2.csv are absent/);
  });

  it('reads the sample in place when the directory has no events.csv', async () => {
    const ds = await loadRetailRocket(SHARED);
    expect(ds.events.length).toBe(9385);
    expect(ds.meta.name).toBe('retailrocket (sample)');
  });
});

describe('loadRetailRocket on small files', () => {
  const events = [
    HEADER,
    '3000,7,view,100,',
    '1000,8,view,200,',
    '2000,7,addtocart,100,',
    '2000,8,transaction,200,55',
    '9000,9,view,300,',
  ].join('\n');

  it('sorts by time stably and numbers users and items by first appearance in time', async () => {
    const ds = await loadRetailRocket(tempDir({ 'events.csv': events }));
    expect(Array.from(ds.events.ts)).toEqual([1000, 2000, 2000, 3000, 9000]);
    expect(ds.users.ids()).toEqual(['8', '7', '9']);
    expect(ds.items.ids()).toEqual(['200', '100', '300']);
    expect(Array.from(ds.events.event)).toEqual([0, 1, 2, 0, 0]);
    expect(Array.from(ds.events.transaction)).toEqual([-1, -1, 55, -1, -1]);
  });

  it('joins category and availability as of each event, falling back to the first snapshot', async () => {
    const props1 = [
      'timestamp,itemid,property,value',
      '1500,100,categoryid,11',
      '2500,100,categoryid,12',
      '1500,100,888,"a,b"',
    ].join('\n');
    const props2 = [
      'timestamp,itemid,property,value',
      '1500,200,available,1',
      '5000,200,categoryid,21',
      '100,999,categoryid,5',
      '2000,200,available,0',
    ].join('\n');
    const ds = await loadRetailRocket(
      tempDir({
        'events.csv': events,
        'item_properties_part1.csv': props1,
        'item_properties_part2.csv': props2,
      }),
    );
    // rows: (1000,item200) (2000,item100) (2000,item200 tx) (3000,item100) (9000,item300)
    expect(Array.from(ds.events.category)).toEqual([21, 11, 21, 12, -1]);
    expect(Array.from(ds.events.available)).toEqual([1, -1, 0, -1, -1]);
    const notes = ds.meta.notes!.join('\n');
    expect(notes).toMatch(/categoryid: .* 2 events precede their item's first snapshot/);
    expect(notes).toMatch(/available: .* 1 events precede/);
  });

  it('names the file, line and problem of a malformed row', async () => {
    const bad = (row: string) => tempDir({ 'events.csv': `${HEADER}\n1000,1,view,2,\n${row}\n` });
    expect(await failure(loadRetailRocket(bad('1000,1,view,2')))).toEqual({
      code: 'DATA_INVALID',
      message: 'Cannot read events.csv: line 3 has 4 columns, expected 5',
    });
    expect((await failure(loadRetailRocket(bad('1000,1,click,2,')))).message).toBe(
      'Cannot read events.csv: line 3: event "click" is not one of view, addtocart, transaction',
    );
    expect((await failure(loadRetailRocket(bad('10x0,1,view,2,')))).message).toMatch(
      /line 3: timestamp "10x0"/,
    );
    expect((await failure(loadRetailRocket(bad('1000,1,view,-2,')))).message).toMatch(/line 3: itemid "-2"/);
  });

  it('rejects a wrong header even when bad rows are skipped', async () => {
    const d = tempDir({ 'events.csv': 'ts,visitor,event,item\n1,2,view,3\n' });
    const f = await failure(loadRetailRocket(d, { onBadRow: 'skip' }));
    expect(f.code).toBe('DATA_INVALID');
    expect(f.message).toMatch(/events.csv: line 1 is "ts,visitor,event,item", expected the header/);
  });

  it('skips and counts malformed rows per file under onBadRow skip', async () => {
    const d = tempDir({
      'events.csv': `${HEADER}\n1000,1,view,2,\n1000,1,click,2,\n\n2000,1,view,2,\n`,
      'category_tree.csv': 'categoryid,parentid\n1,\n2,1\nx,1\n',
    });
    const ds = await loadRetailRocket(d, { onBadRow: 'skip' });
    expect(ds.events.length).toBe(2);
    expect(ds.meta.skippedRows).toEqual({ 'events.csv': 2, 'category_tree.csv': 1 });
    expect(ds.categoryParent).toEqual(
      new Map([
        [1, -1],
        [2, 1],
      ]),
    );
  });

  it('verifies the md5 of official-sized files and reports a mismatch with both digests', async () => {
    const d = tempDir({ 'events.csv': events });
    const md5 = createHash('md5').update(events).digest('hex');
    const ok = await loadRetailRocket(d, { checksums: { 'events.csv': { bytes: events.length, md5 } } });
    expect(ok.meta.notes).toContain('events.csv: md5 matches the official file');
    const f = await failure(
      loadRetailRocket(d, { checksums: { 'events.csv': { bytes: events.length, md5: '0'.repeat(32) } } }),
    );
    expect(f.code).toBe('CHECKSUM_MISMATCH');
    expect(f.message).toContain(`md5 is ${md5}, expected ${'0'.repeat(32)}`);
    expect(f.message).toMatch(/events.csv .*Download it again/);
    const other = await loadRetailRocket(d, {
      checksums: { 'events.csv': { bytes: 999, md5: '0'.repeat(32) } },
    });
    expect(other.meta.notes?.join('\n')).toMatch(/not the official full file/);
    await expect(
      loadRetailRocket(d, {
        verifyChecksums: false,
        checksums: { 'events.csv': { bytes: events.length, md5: 'x' } },
      }),
    ).resolves.toBeDefined();
  });

  it('prefers the checksum error when an official-size file is also malformed', async () => {
    const broken = events.replace('view', 'vie');
    const d = tempDir({ 'events.csv': broken });
    const f = await failure(
      loadRetailRocket(d, { checksums: { 'events.csv': { bytes: broken.length, md5: 'f'.repeat(32) } } }),
    );
    expect(f.code).toBe('CHECKSUM_MISMATCH');
    const other = await failure(loadRetailRocket(d));
    expect(other.message).toBe(
      'Cannot read events.csv: line 2: event "vie" is not one of view, addtocart, transaction',
    );
  });

  it('labels data synthetic when the generator marker is present, and fingerprints by content', async () => {
    const d = tempDir({
      'events.csv': events,
      'synthetic.json': JSON.stringify({ seed: 42, scale: 'tiny' }),
    });
    const ds = await loadRetailRocket(d);
    expect(ds.meta.synthetic).toBe(true);
    expect(ds.meta.kind).toBe('synthetic');
    expect(ds.meta.name).toMatch(/synthetic/);
    const same = await loadRetailRocket(tempDir({ 'events.csv': events }));
    const changed = await loadRetailRocket(tempDir({ 'events.csv': events.replace('9000', '9001') }));
    expect(same.meta.fingerprint).toBe(ds.meta.fingerprint);
    expect(changed.meta.fingerprint).not.toBe(ds.meta.fingerprint);
  });

  it('reads an explicitly named events file and reports byte progress', async () => {
    const d = tempDir({ 'my-events.csv': events });
    const seen: { task: string; done: number; total?: number }[] = [];
    const ds = await loadRetailRocket(d, { eventsFile: 'my-events.csv', onProgress: (p) => seen.push(p) });
    expect(ds.events.length).toBe(5);
    expect(seen.at(-1)).toEqual({
      task: 'read my-events.csv',
      done: events.length,
      total: events.length,
      unit: 'bytes',
    });
    await expect(loadRetailRocket(d, { eventsFile: 'nope.csv' })).rejects.toMatchObject({
      code: 'DATA_MISSING',
    });
  });

  it('says what to do when the directory or events.csv is missing', async () => {
    const f = await failure(loadRetailRocket(join(tmpdir(), 'no-such-rr-dir-xyz')));
    expect(f.code).toBe('DATA_MISSING');
    expect(f.message).toMatch(/funnelrec data download/);
    expect(f.message).toMatch(/funnelrec data generate/);
    expect((await failure(loadRetailRocket(tempDir()))).message).toMatch(/No events.csv/);
  });
});
