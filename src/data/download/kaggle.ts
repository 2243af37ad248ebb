import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import yauzl from 'yauzl';
import { RecError } from '../../core/errors.js';
import { throttleProgress, type ProgressFn } from '../../core/progress.js';
import { OFFICIAL_CHECKSUMS, type ChecksumTable } from '../retailrocket/checksums.js';
import {
  KAGGLE_DATASET_PAGE,
  resolveKaggleCredentials,
  type KaggleCredentials,
} from './kaggle-credentials.js';

export const KAGGLE_API = 'https://www.kaggle.com/api/v1';
export const DEFAULT_RAW_DIR = 'data/raw/retailrocket';
/** The files the RetailRocket zip must contain. */
export const RETAILROCKET_FILES = [
  'events.csv',
  'category_tree.csv',
  'item_properties_part1.csv',
  'item_properties_part2.csv',
] as const;

export interface DownloadOptions {
  /** Target directory (default `data/raw/retailrocket`). */
  dest?: string;
  /** Kaggle API base URL (default `https://www.kaggle.com/api/v1`; tests point it at a local server). */
  baseUrl?: string;
  credentials?: KaggleCredentials;
  kaggleJsonPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Official sizes/md5 to verify the extracted files against (default `OFFICIAL_CHECKSUMS`). */
  checksums?: ChecksumTable;
  onProgress?: ProgressFn;
}

/**
 * Downloads the RetailRocket dataset from Kaggle (`GET {baseUrl}/datasets/download/retailrocket/ecommerce-dataset`
 * with HTTP Basic auth, redirects followed; the credentials are not forwarded to another host),
 * streams the zip to a staging directory beside `dest` with byte progress, unzips it there,
 * verifies the md5 of every official file, and only then moves the files into `dest`. Any failure
 * removes the staging directory: `dest` never holds a half-written file.
 *
 * Errors: no credentials → `DATA_MISSING` (how to get them, how to place the files by hand);
 * HTTP 401/403/404 or a bad zip → `DOWNLOAD_FAILED`; a wrong md5 → `CHECKSUM_MISMATCH`.
 * @returns the absolute paths of the files placed in `dest`.
 */
export async function downloadRetailRocket(opts: DownloadOptions = {}): Promise<{ files: string[] }> {
  const dest = resolve(opts.dest ?? DEFAULT_RAW_DIR);
  const creds = resolveKaggleCredentials({
    explicit: opts.credentials,
    env: opts.env,
    kaggleJsonPath: opts.kaggleJsonPath,
    dest,
  });
  const onProgress = throttleProgress(opts.onProgress);
  const url = `${(opts.baseUrl ?? KAGGLE_API).replace(/\/+$/, '')}/datasets/download/retailrocket/ecommerce-dataset`;
  await mkdir(dirname(dest), { recursive: true });
  const staging = join(dirname(dest), `.${basename(dest)}.partial-${process.pid}-${Date.now()}`);
  await mkdir(staging);
  try {
    const zipPath = join(staging, 'ecommerce-dataset.zip');
    await fetchToFile(url, creds, zipPath, onProgress);
    const files = join(staging, 'files');
    await mkdir(files);
    const extracted = await extractZip(zipPath, files, opts.checksums ?? OFFICIAL_CHECKSUMS, onProgress);
    await rm(zipPath);
    const missing = RETAILROCKET_FILES.filter((f) => !extracted.includes(f));
    if (missing.length) {
      throw new RecError(
        'DOWNLOAD_FAILED',
        `The downloaded zip does not contain ${missing.join(', ')}; it holds ${extracted.join(', ') || 'nothing'}. Check ${KAGGLE_DATASET_PAGE}.`,
      );
    }
    return { files: await moveInto(files, dest, extracted) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function fetchToFile(
  url: string,
  creds: KaggleCredentials,
  path: string,
  onProgress: ProgressFn,
): Promise<void> {
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.key}`).toString('base64')}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: auth }, redirect: 'follow' });
  } catch (e) {
    throw new RecError(
      'DOWNLOAD_FAILED',
      `Cannot reach ${url}: ${(e as Error).message}. Check the network, or place the files by hand from ${KAGGLE_DATASET_PAGE}.`,
      { url },
      e,
    );
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new RecError('DOWNLOAD_FAILED', httpFailure(res.status, url), { url, status: res.status });
  }
  const total = Number(res.headers.get('content-length')) || undefined;
  let done = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      onProgress({ task: 'download ecommerce-dataset.zip', done, total, unit: 'bytes' });
      cb(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
      count,
      createWriteStream(path),
    );
  } catch (e) {
    throw new RecError(
      'DOWNLOAD_FAILED',
      `The download from ${url} broke off after ${done} bytes: ${(e as Error).message}. Run it again.`,
      { url },
      e,
    );
  }
  if (total !== undefined && done !== total) {
    throw new RecError(
      'DOWNLOAD_FAILED',
      `The download from ${url} stopped at ${done} of ${total} bytes. Run it again.`,
      { url },
    );
  }
}

function httpFailure(status: number, url: string): string {
  if (status === 401)
    return `Kaggle refused the credentials (HTTP 401 from ${url}): check KAGGLE_USERNAME/KAGGLE_KEY or ~/.kaggle/kaggle.json, or create a new API token on kaggle.com → Account.`;
  if (status === 403)
    return `Kaggle denied access (HTTP 403 from ${url}): sign in on ${KAGGLE_DATASET_PAGE} and accept the dataset's terms (and verify your account), then retry.`;
  if (status === 404)
    return `Kaggle has no such dataset (HTTP 404 from ${url}): check the base URL; the dataset page is ${KAGGLE_DATASET_PAGE}.`;
  return `Download failed with HTTP ${status} from ${url}. Retry later, or place the files by hand from ${KAGGLE_DATASET_PAGE}.`;
}

/** Extracts every file entry (flattened to its base name) into `dir`, checking the md5 of official files. */
async function extractZip(
  zipPath: string,
  dir: string,
  checksums: ChecksumTable,
  onProgress: ProgressFn,
): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  } catch (e) {
    throw new RecError(
      'DOWNLOAD_FAILED',
      `The downloaded file is not a valid zip (${(e as Error).message}). Run the download again.`,
      {},
      e,
    );
  }
  const names: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const name = basename(entry.fileName);
      if (names.includes(name)) throw new RecError('DOWNLOAD_FAILED', `The zip holds ${name} twice.`);
      const md5 = createHash('md5');
      let done = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          md5.update(chunk);
          done += chunk.length;
          onProgress({ task: `unzip ${name}`, done, total: entry.uncompressedSize, unit: 'bytes' });
          cb(null, chunk);
        },
      });
      await pipeline(await zip.openReadStreamPromise(entry), tap, createWriteStream(join(dir, name)));
      const official = checksums[name];
      const got = md5.digest('hex');
      if (official && (got !== official.md5.toLowerCase() || done !== official.bytes)) {
        throw new RecError(
          'CHECKSUM_MISMATCH',
          `${name} in the downloaded zip has ${done} bytes and md5 ${got}, expected ${official.bytes} bytes and md5 ${official.md5}: the download is corrupted or not the official dataset. Run the download again, or get the zip by hand from ${KAGGLE_DATASET_PAGE}.`,
          { file: name, expected: official.md5, actual: got },
        );
      }
      names.push(name);
    }
  } catch (e) {
    if (e instanceof RecError) throw e;
    throw new RecError(
      'DOWNLOAD_FAILED',
      `Cannot unzip the download: ${(e as Error).message}. Run the download again.`,
      {},
      e,
    );
  } finally {
    zip.close();
  }
  return names;
}

/** Moves verified files into `dest`: the whole directory when `dest` is new, else file by file (each rename atomic). */
async function moveInto(dir: string, dest: string, names: string[]): Promise<string[]> {
  if (!existsSync(dest)) {
    await rename(dir, dest);
  } else {
    if (!(await stat(dest)).isDirectory())
      throw new RecError('DOWNLOAD_FAILED', `${dest} exists and is not a directory.`);
    for (const n of names) await rename(join(dir, n), join(dest, n));
  }
  return names.map((n) => join(dest, n));
}
