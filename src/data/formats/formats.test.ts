import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countByEvent } from '../../core/events.js';
import { detectTimestampFormat, loadInteractions, parseTimestamp } from './interactions.js';
import { loadMovieLens } from './movielens.js';
import { loadSessionBenchmark, readSessionBenchmark } from './session-benchmark.js';

const SHARED = join(import.meta.dirname, '../../../../shared/data');
const SBR = join(SHARED, 'retailrocket/sbr_preprocessed');
const ML = join(SHARED, 'movielens-latest-small');
const tmp = mkdtempSync(join(tmpdir(), 'formats-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe.skipIf(!existsSync(SBR))('the session benchmark (needs ../shared/data)', () => {
  it('reads the published split statistics exactly', async () => {
    const b = await readSessionBenchmark(SBR);
    expect(b.nItems).toBe(36968);
    expect(b.train.length).toBe(126168);
    expect(b.train.reduce((s, x) => s + x.length, 0)).toBe(685984);
    expect(b.test.length).toBe(4775);
    expect(b.test.reduce((s, x) => s + x.items.length, 0)).toBe(24682);
    expect(Array.from(b.train[0])).toEqual([0, 1, 0, 0]); // "1 2 1 1"
    expect(b.test[0].items[0]).toBe(16155);
    expect(b.test[0].ts[0]).toBe(1441939815000);
  });

  it('loads it as a time-sorted Dataset with sessions and the predefined split', async () => {
    const ds = await loadSessionBenchmark(SBR);
    expect(ds.meta.kind).toBe('sessions');
    expect(ds.events.length).toBe(685984 + 24682);
    expect(ds.predefinedSplit).toEqual({ trainRows: 685984 });
    expect(ds.items.size).toBe(36968);
    expect(ds.items.id(0)).toBe('1');
    expect(ds.users.size).toBe(126168 + 4775);
    expect(ds.users.id(126168)).toBe('test:0');
    for (let i = 1; i < ds.events.length; i++)
      if (ds.events.ts[i] < ds.events.ts[i - 1]) throw new Error(`row ${i} out of order`);
    expect(ds.events.ts[685983]).toBeLessThan(ds.events.ts[685984]);
    expect(Array.from(ds.session!.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(ds.meta.notes?.join(' ')).toMatch(/placeholders/);
  });
});

describe('readSessionBenchmark on malformed files', () => {
  it('names the file and line of a bad token', async () => {
    const d = mkdtempSync(join(tmp, 'sbr-'));
    writeFileSync(join(d, 'train_sessions.txt'), '1 2\n3 x\n');
    writeFileSync(join(d, 'test_sessions_with_time.txt'), '1:100 2:200\n');
    await expect(readSessionBenchmark(d)).rejects.toThrow(
      'Cannot read train_sessions.txt: line 2: item id "x" is not a positive integer',
    );
    writeFileSync(join(d, 'train_sessions.txt'), '1 2\n');
    writeFileSync(join(d, 'test_sessions_with_time.txt'), '1:100 2\n');
    await expect(readSessionBenchmark(d)).rejects.toThrow('line 1: token "2" is not item:unix_seconds');
  });
});

describe.skipIf(!existsSync(ML))('MovieLens latest-small (needs ../shared/data)', () => {
  it('reads every rating with users, movies, ratings and first genres', async () => {
    const ds = await loadMovieLens(ML);
    expect(ds.events.length).toBe(100836);
    expect(ds.users.size).toBe(610);
    expect(ds.items.size).toBe(9724);
    expect(countByEvent(ds.events)).toEqual({ view: 100836, addtocart: 0, transaction: 0 });
    expect(ds.rating!.length).toBe(100836);
    const toyStory = ds.items.index('1');
    const row = ds.events.item.indexOf(toyStory);
    const genres = ds.meta.notes!.find((n) => n.startsWith('category = first genre'))!;
    expect(genres).toContain(`${ds.events.category[row]}=Adventure`);
    expect(ds.categoryParent!.get(ds.events.category[row])).toBe(-1);
  });
});

describe('loadMovieLens on small files', () => {
  it('keeps ratings, numbers genres alphabetically and rejects a bad rating with its line', async () => {
    const d = mkdtempSync(join(tmp, 'ml-'));
    writeFileSync(join(d, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,10,4.5,200\n2,20,3,100\n');
    writeFileSync(
      join(d, 'movies.csv'),
      'movieId,title,genres\n10,"Heat, The (1995)",Drama|Action\n20,X,(no genres listed)\n',
    );
    const ds = await loadMovieLens(d);
    expect(Array.from(ds.events.ts)).toEqual([100000, 200000]);
    expect(Array.from(ds.rating!)).toEqual([3, 4.5]);
    expect(Array.from(ds.events.category)).toEqual([-1, 0]);
    writeFileSync(join(d, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,10,good,200\n');
    await expect(loadMovieLens(d)).rejects.toThrow(
      'Cannot read ratings.csv: line 2: rating "good" is not a number',
    );
  });
});

describe('loadInteractions', () => {
  it('detects epoch seconds, milliseconds and ISO-8601 timestamps', () => {
    expect(detectTimestampFormat('1433193132')).toBe('epoch-seconds');
    expect(detectTimestampFormat('1433193132535')).toBe('epoch-milliseconds');
    expect(detectTimestampFormat('2015-06-01T21:12:12Z')).toBe('iso-8601');
    expect(detectTimestampFormat('yesterday')).toBeUndefined();
    expect(parseTimestamp('2015-06-01 21:12:12', 'iso-8601')).toBe(Date.UTC(2015, 5, 1, 21, 12, 12));
    expect(parseTimestamp('2015-06-01T23:12:12+02:00', 'iso-8601')).toBe(Date.UTC(2015, 5, 1, 21, 12, 12));
  });

  it('reads columns by header name in any order, with events and time sorting', async () => {
    const ds = await loadInteractions(
      file(
        'a.csv',
        'event,timestamp,item,user,extra\naddtocart,20,i1,u1,x\n,10,i2,u2,y\ntransaction,30,i1,u1,z\n',
      ),
    );
    expect(Array.from(ds.events.ts)).toEqual([10000, 20000, 30000]);
    expect(Array.from(ds.events.event)).toEqual([0, 1, 2]);
    expect(ds.users.ids()).toEqual(['u2', 'u1']);
    expect(ds.meta.notes![0]).toBe('timestamps read as epoch-seconds');
  });

  it('reports bad rows with their line, skips them on request and requires a header', async () => {
    const p = file(
      'b.csv',
      'user,item,timestamp,event\nu,i,2015-06-01T00:00:00Z,view\nu,i,1433193132,view\nu,i,2015-06-02T00:00:00Z,click\n',
    );
    await expect(loadInteractions(p)).rejects.toThrow(
      'Cannot read b.csv: line 3: timestamp "1433193132" is not iso-8601',
    );
    const ds = await loadInteractions(p, { onBadRow: 'skip' });
    expect(ds.events.length).toBe(1);
    expect(ds.meta.skippedRows).toEqual({ 'b.csv': 2 });
    await expect(loadInteractions(file('c.csv', '1,2,3\n'))).rejects.toThrow(
      /expected a header with columns user,item,timestamp/,
    );
    await expect(loadInteractions(join(tmp, 'none.csv'))).rejects.toMatchObject({ code: 'DATA_MISSING' });
  });
});
