import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { RecError } from '../../core/errors.js';
import { allocEvents, type EventTable } from '../../core/events.js';
import { throttleProgress, type ProgressFn } from '../../core/progress.js';
import { combineFingerprint, hashFilesInBackground } from '../csv/file-digest.js';
import type { ForEachLineOptions } from '../csv/line-reader.js';
import { stableOrderByTime } from '../csv/stable-order.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { asOfJoin } from './as-of-join.js';
import {
  assertMd5,
  OFFICIAL_CHECKSUMS,
  officialFor,
  type ChecksumTable,
  type OfficialChecksum,
} from './checksums.js';
import { RawIdIndex } from './raw-id-index.js';
import { readCategoryTree } from './read-category-tree.js';
import { readEventsCsv, type RawEvents } from './read-events.js';
import { readPropertiesCsv, SnapshotCollector } from './read-properties.js';

/** The real 5,000-visitor sample in `../shared/data/retailrocket`, read when `events.csv` is absent. */
export const SAMPLE_EVENTS_FILE = 'events_sample_5000visitors.csv';
/** Marker written by the synthetic generator into the directories it fills. */
export const SYNTHETIC_MARKER = 'synthetic.json';
const PROPERTY_FILES = ['item_properties_part1.csv', 'item_properties_part2.csv'] as const;
/** Above this many bytes in total, files are hashed in a worker thread beside the parser. */
const WORKER_HASH_BYTES = 32 << 20;

export interface RetailRocketLoadOptions extends LoadOptions {
  /** Label the data synthetic even without a `synthetic.json` marker. */
  synthetic?: boolean;
  /** Check official-size files against their md5 (default true). */
  verifyChecksums?: boolean;
  /** Official sizes/md5 (default `OFFICIAL_CHECKSUMS`; tests inject their own). */
  checksums?: ChecksumTable;
  /** Events file (absolute, or relative to the directory); default `events.csv`, else the sample. */
  eventsFile?: string;
}

/** A file of the directory: where, how big, and its digests (computed in the background). */
interface SourceFile {
  name: string;
  path: string;
  bytes: number;
  official?: OfficialChecksum;
  /** The checksum table names this file (so a size other than the official one is worth a note). */
  listed: boolean;
  digests?: Promise<string[]>;
}

/**
 * Loads a RetailRocket-format directory: `events.csv` (or the real sample), `category_tree.csv`,
 * and `item_properties_part1/2.csv` streamed and joined as of each event's time (see `asOfJoin`).
 * Events are sorted by time (stable); user and item indices follow first appearance in time and
 * the IdMaps hold the raw ids as decimal strings. Files are hashed beside the parsing (a worker
 * thread for large files): sha256 for `meta.fingerprint`, and md5 for files with exactly the
 * official size (`CHECKSUM_MISMATCH` when it differs; other sizes are noted, not checked).
 * Malformed rows follow `onBadRow` (`DATA_INVALID` naming file, line and problem, or skip and count).
 */
export async function loadRetailRocket(dir: string, opts: RetailRocketLoadOptions = {}): Promise<Dataset> {
  const onProgress = throttleProgress(opts.onProgress);
  const eventsPath = resolveEventsFile(dir, opts.eventsFile);
  const marker = await readMarker(dir);
  const synthetic = opts.synthetic === true || marker !== undefined;
  const hashing = new AbortController();
  const { ev, tree, props, all } = await planFiles(dir, eventsPath, opts, hashing.signal);
  const notes: string[] = [];
  const skippedRows: Record<string, number> = {};
  const readOpts = (f: SourceFile) => ({ onBadRow: opts.onBadRow, read: progressOf(f, onProgress) });
  try {
    const raw = await readEventsCsv(ev.path, readOpts(ev));
    if (raw.skipped) skippedRows[ev.name] = raw.skipped;
    const { events, userIdx, itemIdx } = indexEvents(raw);
    let categoryParent: Map<number, number> | undefined;
    if (tree) {
      const t = await readCategoryTree(tree.path, readOpts(tree));
      if (t.skipped) skippedRows[tree.name] = t.skipped;
      categoryParent = t.parent;
    } else notes.push('category_tree.csv is absent: no category tree');
    if (props.length > 0) {
      const snaps = new SnapshotCollector();
      for (const p of props) {
        const skipped = await readPropertiesCsv(p.path, snaps, (id) => itemIdx.get(id) >= 0, readOpts(p));
        if (skipped) skippedRows[p.name] = skipped;
      }
      if (props.length < PROPERTY_FILES.length)
        notes.push(`only ${props[0].name} of the two item property files is present`);
      joinProperties(events, itemIdx, snaps, notes);
    } else {
      notes.push(
        'item_properties_part1/2.csv are absent: category and availability are unknown (-1) for every event',
      );
    }
    const fingerprint = await verifyFiles(all, !synthetic, notes);
    if (basename(ev.path) === SAMPLE_EVENTS_FILE)
      notes.push(`read the real 5,000-visitor sample ${SAMPLE_EVENTS_FILE}`);
    if (marker) notes.push(`synthetic data (${SYNTHETIC_MARKER}: ${marker})`);
    return {
      meta: {
        kind: synthetic ? 'synthetic' : 'retailrocket',
        name: datasetName(synthetic, marker, basename(ev.path) === SAMPLE_EVENTS_FILE),
        path: dir,
        synthetic,
        fingerprint,
        ...(Object.keys(skippedRows).length ? { skippedRows } : {}),
        notes,
      },
      events,
      users: userIdx.toIdMap(),
      items: itemIdx.toIdMap(),
      ...(categoryParent ? { categoryParent } : {}),
    };
  } catch (e) {
    // A corrupted official file explains a parse error better than the parse error itself.
    await verifyFiles(
      all.filter((f) => f.official !== undefined),
      false,
      [],
    );
    throw e;
  } finally {
    hashing.abort(); // stops hashing the remaining files after an error (a no-op once all are done)
  }
}

function datasetName(synthetic: boolean, marker: string | undefined, sample: boolean): string {
  if (synthetic) return `retailrocket-format synthetic${marker ? ` ${marker}` : ''}`;
  return sample ? 'retailrocket (sample)' : 'retailrocket';
}

/** The files to read (events first in `all`), with their background hashing started. */
async function planFiles(
  dir: string,
  eventsPath: string,
  opts: RetailRocketLoadOptions,
  signal: AbortSignal,
): Promise<{ ev: SourceFile; tree?: SourceFile; props: SourceFile[]; all: SourceFile[] }> {
  const table = opts.checksums ?? OFFICIAL_CHECKSUMS;
  const describe = async (path: string, name = basename(path)): Promise<SourceFile> => {
    const bytes = (await stat(path)).size;
    return {
      name,
      path,
      bytes,
      listed: table[name] !== undefined && opts.verifyChecksums !== false,
      official: opts.verifyChecksums === false ? undefined : officialFor(name, bytes, table),
    };
  };
  const treePath = join(dir, 'category_tree.csv');
  const ev = await describe(eventsPath);
  const tree = existsSync(treePath) ? await describe(treePath) : undefined;
  const props = await Promise.all(
    PROPERTY_FILES.map((f) => join(dir, f))
      .filter(existsSync)
      .map((p) => describe(p)),
  );
  const all = [ev, ...(tree ? [tree] : []), ...props];
  const total = all.reduce((s, f) => s + f.bytes, 0);
  const digests = hashFilesInBackground(
    all.map((f) => ({ path: f.path, algorithms: f.official ? ['sha256', 'md5'] : ['sha256'] })),
    total >= WORKER_HASH_BYTES,
    signal,
  );
  all.forEach((f, i) => (f.digests = digests[i]));
  return { ev, tree, props, all };
}

/** Awaits the digests: checks md5 of official-size files, notes the others, returns the fingerprint. */
async function verifyFiles(files: SourceFile[], noteSizes: boolean, notes: string[]): Promise<string> {
  const parts: { name: string; sha256: string }[] = [];
  for (const [i, f] of files.entries()) {
    const [sha256, md5] = await f.digests!;
    if (f.official) {
      assertMd5(f.name, f.path, md5, f.official);
      notes.push(`${f.name}: md5 matches the official file`);
    } else if (noteSizes && f.listed) {
      notes.push(`${f.name}: ${f.bytes} bytes, not the official full file; md5 not checked`);
    }
    parts.push({ name: i === 0 ? 'events' : f.name, sha256 });
  }
  return combineFingerprint(parts);
}

function progressOf(f: SourceFile, onProgress: ProgressFn): ForEachLineOptions {
  const task = `read ${f.name}`;
  return { onBytes: (done) => onProgress({ task, done, total: f.bytes, unit: 'bytes' }) };
}

/** Sorts raw events by time and numbers users and items by first appearance in that order. */
function indexEvents(raw: RawEvents): { events: EventTable; userIdx: RawIdIndex; itemIdx: RawIdIndex } {
  const order = stableOrderByTime(raw.ts);
  const events = allocEvents(raw.length);
  const userIdx = new RawIdIndex();
  const itemIdx = new RawIdIndex();
  for (let r = 0; r < order.length; r++) {
    const k = order[r];
    events.ts[r] = raw.ts[k];
    events.user[r] = userIdx.add(raw.visitor[k]);
    events.item[r] = itemIdx.add(raw.item[k]);
    events.event[r] = raw.event[k];
    events.transaction[r] = raw.transaction[k];
  }
  return { events, userIdx, itemIdx };
}

/** Joins `categoryid` and `available` snapshots to the events as of their time. */
function joinProperties(
  events: EventTable,
  itemIdx: RawIdIndex,
  snaps: SnapshotCollector,
  notes: string[],
): void {
  const s = snaps.result();
  for (const kind of [0, 1] as const) {
    let n = 0;
    for (let k = 0; k < s.length; k++) if (s.kind[k] === kind) n++;
    const ts = new Float64Array(n);
    const item = new Int32Array(n);
    const value = new Int32Array(n);
    for (let k = 0, r = 0; k < s.length; k++) {
      if (s.kind[k] !== kind) continue;
      ts[r] = s.ts[k];
      item[r] = itemIdx.get(s.item[k]);
      value[r++] = s.value[k];
    }
    const res = asOfJoin(events.ts, events.item, itemIdx.size, ts, item, value);
    const what = kind === 0 ? 'categoryid' : 'available';
    if (kind === 0) events.category.set(res.value);
    else for (let i = 0; i < res.value.length; i++) events.available[i] = res.value[i];
    notes.push(
      `${what}: joined as of event time from ${n} snapshot rows; ${res.fallback} events precede their item's first ` +
        `snapshot and use the earliest one; ${res.missing} events have no ${what} snapshot (-1)`,
    );
  }
}

function resolveEventsFile(dir: string, explicit?: string): string {
  const what =
    'Download the data with `funnelrec data download` (or unzip the Kaggle CSVs there by hand), ' +
    'or generate synthetic data with `funnelrec data generate`.';
  if (!existsSync(dir))
    throw new RecError('DATA_MISSING', `RetailRocket directory ${dir} does not exist. ${what}`, {
      path: dir,
    });
  if (explicit) {
    const p = isAbsolute(explicit) ? explicit : join(dir, explicit);
    if (!existsSync(p)) throw new RecError('DATA_MISSING', `Events file ${p} does not exist.`, { path: p });
    return p;
  }
  for (const f of ['events.csv', SAMPLE_EVENTS_FILE]) if (existsSync(join(dir, f))) return join(dir, f);
  throw new RecError('DATA_MISSING', `No events.csv in ${dir}. ${what}`, { path: dir });
}

/** A short description of the synthetic marker (scale, seed) or "generated" when it says nothing. */
async function readMarker(dir: string): Promise<string | undefined> {
  const p = join(dir, SYNTHETIC_MARKER);
  if (!existsSync(p)) return undefined;
  try {
    const m = JSON.parse(await readFile(p, 'utf8')) as Record<string, unknown>;
    const parts = ['preset', 'scale', 'seed']
      .filter((k) => m[k] !== undefined && typeof m[k] !== 'object')
      .map((k) => `${k}=${String(m[k])}`);
    return parts.length ? parts.join(' ') : 'generated';
  } catch {
    return 'generated (marker unreadable)';
  }
}
