import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRecError } from '../../core/errors.js';
import { SYNTHETIC_GENERATOR, generateSynthetic, type SyntheticSummary } from './generate.js';
import { OFFICIAL_RETAILROCKET, RETAILROCKET_END_MS, RETAILROCKET_START_MS } from './official.js';
import { scaleTargets } from './scales.js';

const FILES = [
  'events.csv',
  'item_properties_part1.csv',
  'item_properties_part2.csv',
  'category_tree.csv',
  'synthetic.json',
];
const root = mkdtempSync(join(tmpdir(), 'funnelrec-synthetic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function digest(dir: string): string[] {
  return FILES.map((f) =>
    createHash('sha256')
      .update(readFileSync(join(dir, f)))
      .digest('hex'),
  );
}

function lines(dir: string, file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('generateSynthetic at tiny scale', () => {
  let a: SyntheticSummary;
  beforeAll(async () => {
    a = await generateSynthetic({ scale: 'tiny', seed: 7, outDir: join(root, 'a') });
    await generateSynthetic({ scale: 'tiny', seed: 7, outDir: join(root, 'b') });
    await generateSynthetic({ scale: 'tiny', seed: 8, outDir: join(root, 'c') });
  });

  it('writes byte-identical files for the same seed', () => {
    expect(digest(join(root, 'b'))).toEqual(digest(join(root, 'a')));
  });

  it('writes different events and properties for a different seed', () => {
    const [ea, pa] = digest(join(root, 'a'));
    const [ec, pc] = digest(join(root, 'c'));
    expect(ec).not.toBe(ea);
    expect(pc).not.toBe(pa);
  });

  it('hits the event targets of the scale exactly', () => {
    const t = scaleTargets('tiny');
    expect(a.counts).toMatchObject({
      view: t.view,
      addtocart: t.addtocart,
      transaction: t.transaction,
      visitors: t.visitors,
    });
    expect(a.counts.events).toBe(t.view + t.addtocart + t.transaction);
    expect(Math.abs(a.counts.events - 5_000)).toBeLessThan(5);
  });

  it('writes events.csv in the official format, in time order, inside the official date range', () => {
    const rows = lines(a.outDir, 'events.csv');
    expect(rows[0]).toBe('timestamp,visitorid,event,itemid,transactionid');
    expect(rows.length - 1).toBe(a.counts.events);
    const visitors = new Set<string>();
    const problems: string[] = [];
    let prev = 0;
    for (const row of rows.slice(1)) {
      const f = row.split(',');
      const ts = Number(f[0]);
      const txOk = f[2] === 'transaction' ? /^\d+$/.test(f[4]) : f[4] === '';
      const ok =
        f.length === 5 &&
        Number.isInteger(ts) &&
        ts >= Math.max(prev, RETAILROCKET_START_MS) &&
        ts <= RETAILROCKET_END_MS &&
        ['view', 'addtocart', 'transaction'].includes(f[2]) &&
        /^\d+$/.test(f[1]) &&
        /^\d+$/.test(f[3]) &&
        txOk;
      if (!ok) problems.push(row);
      prev = ts;
      visitors.add(f[1]);
    }
    expect(problems).toEqual([]);
    expect(visitors.size).toBe(a.counts.visitors);
    expect(new Date(a.firstEventMs).toISOString().slice(0, 10) >= OFFICIAL_RETAILROCKET.firstDay).toBe(true);
    expect(new Date(a.lastEventMs).toISOString().slice(0, 10) <= OFFICIAL_RETAILROCKET.lastDay).toBe(true);
  });

  it('writes a 1,669-node category forest with empty parents for roots', () => {
    const rows = lines(a.outDir, 'category_tree.csv');
    expect(rows[0]).toBe('categoryid,parentid');
    const parent = new Map<number, number>();
    for (const row of rows.slice(1)) {
      const f = row.split(',');
      expect(f).toHaveLength(2);
      parent.set(Number(f[0]), f[1] === '' ? -1 : Number(f[1]));
    }
    expect(parent.size).toBe(1_669);
    let roots = 0;
    for (const [id] of parent) {
      let c = id;
      for (let depth = 0; parent.get(c) !== -1; depth++) {
        expect(depth).toBeLessThan(10); // no cycles
        c = parent.get(c)!;
        expect(parent.has(c)).toBe(true);
      }
      if (parent.get(id) === -1) roots++;
    }
    expect(roots).toBe(25);
  });

  it('writes properties as change-only weekly snapshots with a category and availability for every event item', () => {
    const first = new Map<string, Set<string>>();
    const problems: string[] = [];
    let changeRows = 0;
    for (const file of ['item_properties_part1.csv', 'item_properties_part2.csv']) {
      const rows = lines(a.outDir, file);
      expect(rows[0]).toBe('timestamp,itemid,property,value');
      for (const row of rows.slice(1)) {
        const f = row.split(',');
        const ok =
          f.length === 4 &&
          (Number(f[0]) - RETAILROCKET_START_MS) % (7 * 86_400_000) === 0 &&
          (f[2] !== 'available' || f[3] === '0' || f[3] === '1') &&
          (f[2] !== '790' || /^n\d+\.000$/.test(f[3]));
        if (!ok) problems.push(row);
        if (Number(f[0]) === RETAILROCKET_START_MS) {
          if (!first.has(f[1])) first.set(f[1], new Set());
          first.get(f[1])!.add(f[2]);
        } else changeRows++;
      }
    }
    expect(problems).toEqual([]);
    expect(first.size).toBe(a.counts.itemsInProperties);
    expect(changeRows).toBeGreaterThan(0);
    const missing = lines(a.outDir, 'events.csv')
      .slice(1)
      .map((row) => row.split(',')[3])
      .filter((item) => !(first.get(item)?.has('categoryid') && first.get(item)?.has('available')));
    expect(missing).toEqual([]);
  });

  it('labels the directory synthetic in synthetic.json', () => {
    const m = JSON.parse(readFileSync(join(a.outDir, 'synthetic.json'), 'utf8'));
    expect(m).toMatchObject({ generator: SYNTHETIC_GENERATOR, version: 1, scale: 'tiny', seed: 7 });
    expect(m.counts).toEqual(a.counts);
  });
});

describe('generateSynthetic options', () => {
  it('rejects an unknown scale and a non-integer seed with CONFIG_INVALID', async () => {
    const bad = [
      generateSynthetic({ scale: 'huge' as 'tiny', seed: 1, outDir: join(root, 'x') }),
      generateSynthetic({ scale: 'tiny', seed: 1.5, outDir: join(root, 'x') }),
    ];
    for (const p of bad) await expect(p).rejects.toSatisfy((e) => isRecError(e, 'CONFIG_INVALID'));
  });
});
