import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../core/progress.js';
import type { ChecksumTable } from '../retailrocket/checksums.js';
import { downloadRetailRocket } from './kaggle.js';
import { resolveKaggleCredentials } from './kaggle-credentials.js';
import { buildZip } from './test-zip.js';

const FILES: Record<string, string> = {
  'events.csv': 'timestamp,visitorid,event,itemid,transactionid\n1433221332117,257597,view,355908,\n',
  'category_tree.csv': 'categoryid,parentid\n1016,213\n',
  'item_properties_part1.csv': 'timestamp,itemid,property,value\n1435460400000,460429,categoryid,1338\n',
  'item_properties_part2.csv': 'timestamp,itemid,property,value\n1433041200000,206783,available,1\n',
};
const CHECKSUMS: ChecksumTable = Object.fromEntries(
  Object.entries(FILES).map(([n, t]) => [
    n,
    { bytes: Buffer.byteLength(t), md5: createHash('md5').update(t).digest('hex') },
  ]),
);
const CREDS = { username: 'alice', key: 's3cret' };
const GOOD_ZIP = buildZip(
  Object.entries(FILES).map(([name, data], i) => ({ name, data, deflate: i % 2 === 0 })),
);
const CORRUPT_ZIP = buildZip(
  Object.entries(FILES).map(([name, data]) => ({
    name,
    data: name === 'events.csv' ? data.replace('view', 'vieW') : data,
  })),
);

let server: Server;
let baseUrl = '';
let zipToServe = GOOD_ZIP;
const requests: string[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'kaggle-test-'));

beforeAll(async () => {
  // A stand-in for Kaggle: checks Basic auth, redirects once, serves the zip.
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/api/v1/datasets/download/retailrocket/ecommerce-dataset') {
      const expected = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"code":401,"message":"Unauthenticated"}');
        return;
      }
      res.writeHead(302, { location: '/storage/ecommerce-dataset.zip' }).end();
    } else if (req.url === '/storage/ecommerce-dataset.zip') {
      res
        .writeHead(200, { 'content-type': 'application/zip', 'content-length': zipToServe.length })
        .end(zipToServe);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

describe('downloadRetailRocket against a local Kaggle stand-in', () => {
  it('downloads with Basic auth, follows the redirect, unzips and verifies every file', async () => {
    zipToServe = GOOD_ZIP;
    const dest = join(tmp, 'ok', 'raw', 'retailrocket');
    const progress: Progress[] = [];
    const { files } = await downloadRetailRocket({
      dest,
      baseUrl,
      credentials: CREDS,
      checksums: CHECKSUMS,
      onProgress: (p) => progress.push(p),
    });
    expect(files.map((f) => f.slice(dest.length + 1)).sort()).toEqual(Object.keys(FILES).sort());
    for (const [n, t] of Object.entries(FILES)) expect(readFileSync(join(dest, n), 'utf8')).toBe(t);
    expect(readdirSync(join(tmp, 'ok', 'raw'))).toEqual(['retailrocket']); // no staging left behind
    expect(requests.slice(-2)).toEqual([
      '/api/v1/datasets/download/retailrocket/ecommerce-dataset',
      '/storage/ecommerce-dataset.zip',
    ]);
    const last = progress.filter((p) => p.task === 'download ecommerce-dataset.zip').pop();
    expect(last).toEqual({
      task: 'download ecommerce-dataset.zip',
      done: GOOD_ZIP.length,
      total: GOOD_ZIP.length,
      unit: 'bytes',
    });
  });

  it('catches a corrupted file by its md5 and leaves nothing half-written', async () => {
    zipToServe = CORRUPT_ZIP;
    const parent = join(tmp, 'corrupt');
    mkdirSync(parent);
    const dest = join(parent, 'retailrocket');
    await expect(
      downloadRetailRocket({ dest, baseUrl, credentials: CREDS, checksums: CHECKSUMS }),
    ).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: expect.stringMatching(
        /^events.csv in the downloaded zip .* md5 [0-9a-f]{32}, expected .*Run the download again/,
      ),
    });
    expect(readdirSync(parent)).toEqual([]);
  });

  it('keeps files already in dest when a later download fails', async () => {
    zipToServe = CORRUPT_ZIP;
    const dest = join(tmp, 'existing');
    mkdirSync(dest);
    writeFileSync(join(dest, 'events.csv'), 'old');
    await expect(
      downloadRetailRocket({ dest, baseUrl, credentials: CREDS, checksums: CHECKSUMS }),
    ).rejects.toThrow();
    expect(readFileSync(join(dest, 'events.csv'), 'utf8')).toBe('old');
    expect(readdirSync(tmp).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('turns a 401 into a clear error about the credentials', async () => {
    const dest = join(tmp, 'unauth');
    await expect(
      downloadRetailRocket({
        dest,
        baseUrl,
        credentials: { username: 'alice', key: 'wrong' },
        checksums: CHECKSUMS,
      }),
    ).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
      message: expect.stringMatching(/HTTP 401.*KAGGLE_USERNAME\/KAGGLE_KEY or ~\/.kaggle\/kaggle.json/),
    });
    expect(existsSync(dest)).toBe(false);
  });

  it('turns a 404 into an error naming the URL', async () => {
    await expect(
      downloadRetailRocket({ dest: join(tmp, 'nf'), baseUrl: `${baseUrl}/nothing`, credentials: CREDS }),
    ).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
      message: expect.stringContaining('HTTP 404'),
    });
  });

  it('reads credentials from the environment or kaggle.json, and explains how to get them', () => {
    const dest = join(tmp, 'x');
    expect(resolveKaggleCredentials({ dest, env: { KAGGLE_USERNAME: 'u', KAGGLE_KEY: 'k' } })).toEqual({
      username: 'u',
      key: 'k',
    });
    const json = join(tmp, 'kaggle.json');
    writeFileSync(json, JSON.stringify({ username: 'v', key: 'w' }));
    expect(resolveKaggleCredentials({ dest, env: {}, kaggleJsonPath: json })).toEqual({
      username: 'v',
      key: 'w',
    });
    writeFileSync(json, '{"user": "v"}');
    expect(() => resolveKaggleCredentials({ dest, env: {}, kaggleJsonPath: json })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    let err: unknown;
    try {
      resolveKaggleCredentials({ dest, env: {}, kaggleJsonPath: join(tmp, 'none.json') });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'DATA_MISSING' });
    const msg = (err as Error).message;
    expect(msg).toMatch(/Create New Token/);
    expect(msg).toMatch(/~\/.kaggle\/kaggle.json/);
    expect(msg).toMatch(/KAGGLE_USERNAME and KAGGLE_KEY/);
    expect(msg).toContain('https://www.kaggle.com/datasets/retailrocket/ecommerce-dataset');
    expect(msg).toContain(`into ${dest}/`);
  });

  it('fails with DATA_MISSING before any request when there are no credentials', async () => {
    const before = requests.length;
    await expect(
      downloadRetailRocket({
        dest: join(tmp, 'nc'),
        baseUrl,
        env: {},
        kaggleJsonPath: join(tmp, 'none.json'),
      }),
    ).rejects.toMatchObject({ code: 'DATA_MISSING' });
    expect(requests.length).toBe(before);
  });
});
