import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { hashFilesInBackground } from './file-digest.js';
import { parseUnsigned, splitCsvLine } from './fields.js';
import { forEachLine } from './line-reader.js';
import { stableOrderByTime } from './stable-order.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(content: string | Buffer, chunkSize?: number): Promise<string[]> {
  const p = join(dir, 'f.csv');
  writeFileSync(p, content);
  const out: string[] = [];
  await forEachLine(p, (b, s, e, n) => out.push(`${n}:${b.toString('utf8', s, e)}`), { chunkSize });
  return out;
}

describe('forEachLine', () => {
  it('handles CRLF, a BOM, an unterminated last line and keeps empty middle lines', async () => {
    expect(await lines('\ufeffa,b\r\n1,2\r\n\r\n3,4')).toEqual(['1:a,b', '2:1,2', '3:', '4:3,4']);
    expect(await lines('x\n')).toEqual(['1:x']);
    expect(await lines('')).toEqual([]);
  });

  it('returns the same lines whatever the chunk size, including lines longer than a chunk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ',', '\n', '\r\n') }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        async (parts, chunk) => {
          const text = parts.join('');
          expect(await lines(text, chunk)).toEqual(await lines(text, 1 << 16));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('stableOrderByTime', () => {
  it('equals a stable comparison sort, for ranges needing one to five radix passes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }),
        fc.constantFrom(1, 1000, 1e6, 1e10, 1.4e12),
        (xs, scale) => {
          const ts = Float64Array.from(xs, (x) => x * scale + (x % 3));
          const expected = Array.from(ts.keys()).sort((a, b) => ts[a] - ts[b] || a - b);
          expect(Array.from(stableOrderByTime(ts))).toEqual(expected);
        },
      ),
    );
  });

  it('falls back to a comparison sort for fractional times', () => {
    expect(Array.from(stableOrderByTime(Float64Array.from([2.5, 1.5, 2.5, 0])))).toEqual([3, 1, 0, 2]);
  });
});

describe('field helpers', () => {
  it('parses unsigned integers and rejects anything else', () => {
    const b = Buffer.from('0123|12a|-1||99999999999999999');
    expect(parseUnsigned(b, 0, 4)).toBe(123);
    expect(parseUnsigned(b, 5, 8)).toBe(-1);
    expect(parseUnsigned(b, 9, 11)).toBe(-1);
    expect(parseUnsigned(b, 12, 12)).toBe(-1);
    expect(parseUnsigned(b, 13, b.length)).toBe(-1);
  });

  it('splits quoted CSV fields with doubled quotes and rejects an unclosed quote', () => {
    expect(splitCsvLine('1,"Toy, Story ""95""",Comedy')).toEqual(['1', 'Toy, Story "95"', 'Comedy']);
    expect(splitCsvLine('a,,b')).toEqual(['a', '', 'b']);
    expect(splitCsvLine('"a,b')).toBeNull();
    expect(splitCsvLine('"a"x,b')).toBeNull();
  });
});

describe('hashFilesInBackground', () => {
  it('gives the same digests in a worker thread as in this thread, and rejects a missing file', async () => {
    const a = join(dir, 'h1.txt');
    const b = join(dir, 'h2.txt');
    writeFileSync(a, 'hello');
    writeFileSync(b, Buffer.alloc(5 << 20, 7));
    const jobs = [
      { path: a, algorithms: ['sha256', 'md5'] },
      { path: b, algorithms: ['md5'] },
      { path: join(dir, 'missing'), algorithms: ['md5'] },
    ];
    for (const inWorker of [false, true]) {
      const [pa, pb, pm] = hashFilesInBackground(jobs, inWorker);
      expect(await pa).toEqual([
        createHash('sha256').update('hello').digest('hex'),
        createHash('md5').update('hello').digest('hex'),
      ]);
      expect(await pb).toEqual([
        createHash('md5')
          .update(Buffer.alloc(5 << 20, 7))
          .digest('hex'),
      ]);
      await expect(pm).rejects.toThrow(/missing/);
    }
  });
});
