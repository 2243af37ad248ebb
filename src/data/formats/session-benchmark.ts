import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { RecError } from '../../core/errors.js';
import { allocEvents } from '../../core/events.js';
import { IdMap } from '../../core/ids.js';
import { combineFingerprint } from '../csv/file-digest.js';
import { stableOrderByTime } from '../csv/stable-order.js';
import type { Dataset } from '../dataset.js';

export const SESSION_TRAIN_FILE = 'train_sessions.txt';
export const SESSION_TEST_FILE = 'test_sessions_with_time.txt';

/** The RetailRocket session benchmark split (`sbr_preprocessed/`), items as 0-based indices (file id − 1). */
export interface SessionBenchmark {
  /** Largest item id in either file (36,968 for the published split); indices are `0..nItems-1`. */
  nItems: number;
  /** Training sessions in file order (no timestamps in the source). */
  train: Int32Array[];
  /** Test sessions in file order; `ts` in epoch milliseconds. */
  test: { items: Int32Array; ts: Float64Array }[];
}

function invalid(file: string, line: number, problem: string): RecError {
  return new RecError('DATA_INVALID', `Cannot read ${file}: line ${line}: ${problem}`, { file, line });
}

function itemOf(tok: string, file: string, line: number): number {
  const v = /^\d{1,9}$/.test(tok) ? Number(tok) : 0;
  if (v < 1) throw invalid(file, line, `item id "${tok}" is not a positive integer`);
  return v - 1;
}

function lines(text: string): string[] {
  const ls = text.split('\n');
  if (ls.length > 0 && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

/**
 * Reads `train_sessions.txt` (space-separated item ids per line) and `test_sessions_with_time.txt`
 * (tokens `item:unix_seconds`). Malformed tokens throw `DATA_INVALID` with file and line.
 */
export async function readSessionBenchmark(dir: string): Promise<SessionBenchmark> {
  for (const f of [SESSION_TRAIN_FILE, SESSION_TEST_FILE]) {
    if (!existsSync(join(dir, f))) {
      throw new RecError(
        'DATA_MISSING',
        `${join(dir, f)} does not exist: the session benchmark needs ${SESSION_TRAIN_FILE} and ${SESSION_TEST_FILE} (../shared/data/retailrocket/sbr_preprocessed).`,
        { path: dir },
      );
    }
  }
  let max = 0;
  const train = lines(await readFile(join(dir, SESSION_TRAIN_FILE), 'utf8')).map((l, i) => {
    const toks = l
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    if (toks.length === 0) throw invalid(SESSION_TRAIN_FILE, i + 1, 'is an empty session');
    const s = Int32Array.from(toks, (t) => itemOf(t, SESSION_TRAIN_FILE, i + 1));
    for (const v of s) if (v >= max) max = v + 1;
    return s;
  });
  const test = lines(await readFile(join(dir, SESSION_TEST_FILE), 'utf8')).map((l, i) => {
    const toks = l
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    if (toks.length === 0) throw invalid(SESSION_TEST_FILE, i + 1, 'is an empty session');
    const items = new Int32Array(toks.length);
    const ts = new Float64Array(toks.length);
    toks.forEach((t, k) => {
      const m = /^([^:]+):(\d{1,12})$/.exec(t);
      if (!m) throw invalid(SESSION_TEST_FILE, i + 1, `token "${t}" is not item:unix_seconds`);
      items[k] = itemOf(m[1], SESSION_TEST_FILE, i + 1);
      ts[k] = Number(m[2]) * 1000;
      if (items[k] >= max) max = items[k] + 1;
    });
    return { items, ts };
  });
  return { nItems: max, train, test };
}

/** Gap between the placeholder starts of consecutive training sessions (> a 30-minute session gap). */
const TRAIN_SLOT_MS = 31 * 60_000;

/**
 * Loads the session benchmark as a Dataset (kind `sessions`): one "user" per session (`train:i`,
 * `test:j`), items with index = id − 1, the `session` column, and `predefinedSplit.trainRows`.
 * Training sessions have no timestamps in the source: they get order-preserving placeholders, one
 * session every 31 minutes with clicks 1 s apart, ending before the first test click (so that a
 * 30-minute-gap sessionizer recovers them). Test rows are sorted by their real time.
 */
export async function loadSessionBenchmark(dir: string): Promise<Dataset> {
  const b = await readSessionBenchmark(dir);
  const nTrainRows = b.train.reduce((s, x) => s + x.length, 0);
  const nTestRows = b.test.reduce((s, x) => s + x.items.length, 0);
  const events = allocEvents(nTrainRows + nTestRows);
  const session = new Int32Array(events.length);
  let firstTest = Infinity;
  for (const s of b.test) for (const t of s.ts) if (t < firstTest) firstTest = t;
  if (!Number.isFinite(firstTest)) firstTest = 0;
  let r = 0;
  b.train.forEach((s, i) => {
    const start = firstTest - (b.train.length - i) * TRAIN_SLOT_MS;
    for (let k = 0; k < s.length; k++, r++) {
      events.ts[r] = start + k * 1000;
      events.item[r] = s[k];
      events.user[r] = session[r] = i;
    }
  });
  // Test rows: gathered in file order, then placed in stable time order.
  const testTs = new Float64Array(nTestRows);
  const testItem = new Int32Array(nTestRows);
  const testSession = new Int32Array(nTestRows);
  let q = 0;
  b.test.forEach((s, j) => {
    for (let k = 0; k < s.items.length; k++, q++) {
      testTs[q] = s.ts[k];
      testItem[q] = s.items[k];
      testSession[q] = b.train.length + j;
    }
  });
  for (const k of stableOrderByTime(testTs)) {
    events.ts[r] = testTs[k];
    events.item[r] = testItem[k];
    events.user[r] = session[r] = testSession[k];
    r++;
  }
  const users = IdMap.fromIds([...b.train.map((_, i) => `train:${i}`), ...b.test.map((_, j) => `test:${j}`)]);
  const items = IdMap.fromIds(Array.from({ length: b.nItems }, (_, i) => String(i + 1)));
  const digests = await Promise.all(
    [SESSION_TRAIN_FILE, SESSION_TEST_FILE].map(async (name) => ({
      name,
      sha256: createHash('sha256')
        .update(await readFile(join(dir, name)))
        .digest('hex'),
    })),
  );
  return {
    meta: {
      kind: 'sessions',
      name: 'retailrocket session benchmark',
      path: dir,
      synthetic: false,
      fingerprint: combineFingerprint(digests),
      notes: [
        `${b.train.length} training sessions (${nTrainRows} clicks), ${b.test.length} test sessions (${nTestRows} clicks), ${b.nItems} items`,
        'timestamps of training sessions are order-preserving placeholders (one session every 31 minutes, clicks 1 s apart, before the first test click); only test timestamps are real',
        'item index = benchmark item id − 1; rows [0, trainRows) are the training sessions',
      ],
    },
    events,
    users,
    items,
    session,
    predefinedSplit: { trainRows: nTrainRows },
  };
}
