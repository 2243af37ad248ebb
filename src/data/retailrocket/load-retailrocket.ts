import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RecError } from '../../core/errors.js';
import { allocEvents } from '../../core/events.js';
import { IdMap } from '../../core/ids.js';
import { throttleProgress, type ProgressFn } from '../../core/progress.js';
import { ChunkHasher, combineFingerprint } from '../csv/file-digest.js';
import type { ForEachLineOptions } from '../csv/line-reader.js';
import { stableOrderByTime } from '../csv/stable-order.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { asOfJoin } from './as-of-join.js';
import { assertMd5, OFFICIAL_CHECKSUMS, officialFor, type ChecksumTable } from './checksums.js';
import { readCategoryTree } from './read-category-tree.js';
import { readEventsCsv } from './read-events.js';
import { readPropertiesCsv, SnapshotCollector } from './read-properties.js';
import { RawIdIndex } from './raw-id-index.js';

/** The real 5,000-visitor sample in `../shared/data/retailrocket`, read when `events.csv` is absent. */
export const SAMPLE_EVENTS_FILE = 'events_sample_5000visitors.csv';
/** Marker written by the synthetic generator into the directories it fills. */
export const SYNTHETIC_MARKER = 'synthetic.json';
const PROPERTY_FILES = ['item_properties_part1.csv', 'item_properties_part2.csv'] as const;

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

/** One file as read: its digest for the fingerprint and, when official-sized, its md5 verification. */
interface FileRead {
  name: string;
  path: string;
  hasher: ChunkHasher;
  read: ForEachLineOptions;
  finish(): string;
}

function fileReader(name: string, path: string, bytes: number, o: Required<Pick<RetailRocketLoadOptions, 'checksums' | 'verifyChecksums'>>, onProgress: ProgressFn, notes: string[]): FileRead {
  const official = o.verifyChecksums ? officialFor(name, bytes, o.checksums) : undefined;
  const hasher = new ChunkHasher(official ? ['sha256', 'md5'] : ['sha256']);
  const task = `read ${name}`;
  return {
    name,
    path,
    hasher,
    read: { onChunk: hasher.update, onBytes: (done) => onProgress({ task, done, total: bytes, unit: 'bytes' }) },
    finish() {
      const d = hasher.digest();
      if (official) {
        assertMd5(name, path, d.md5, official);
        notes.push(`${name}: md5 matches the official file`);
      } else if (o.checksums[name] && o.verifyChecksums) {
        notes.push(`${name}: ${bytes} bytes, not the official full file (${o.checksums[name].bytes} bytes); md5 not checked`);
      }
      return d.sha256;
    },
  };
}

/**
 * Loads a RetailRocket-format directory: `events.csv` (or the real sample), `category_tree.csv`,
 * and `item_properties_part1/2.csv` streamed and joined as of each event's time (see `asOfJoin`).
 * Events are sorted by time (stable); user and item indices follow first appearance in time.
 * Every file is read once; its sha256 (fingerprint) and, for official-sized files, md5
 * (`CHECKSUM_MISMATCH` on a difference) are computed in the same pass.
 */
export async function loadRetailRocket(dir: string, opts: RetailRocketLoadOptions = {}): Promise<Dataset> {
  const onProgress = throttleProgress(opts.onProgress);
  const checkOpts = { checksums: opts.checksums ?? OFFICIAL_CHECKSUMS, verifyChecksums: opts.verifyChecksums ?? true };
  const notes: string[] = [];
  const skippedRows: Record<string, number> = {};
  const digests: { name: string; sha256: string }[] = [];
  const eventsPath = resolveEventsFile(dir, opts.eventsFile);
  const eventsName = eventsPath.slice(eventsPath.replace(/\\/g, '/').lastIndexOf('/') + 1);
  const isSample = eventsName === SAMPLE_EVENTS_FILE;
  const marker = await readMarker(dir);
  const synthetic = opts.synthetic === true || marker !== undefined;

  const reader = async (name: string, path: string) => fileReader(name, path, (await stat(path)).size, checkOpts, onProgress, notes);

  const ev = await reader(eventsName, eventsPath);
  const raw = await readEventsCsv(eventsPath, { onBadRow: opts.onBadRow, read: ev.read });
  if (raw.skipped) skippedRows[eventsName] = raw.skipped;
  digests.push({ name: 'events', sha256: ev.finish() });

  // Sort by time, then number users and items by first appearance in that order.
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

  let categoryParent: Map<number, number> | undefined;
  const treePath = join(dir, 'category_tree.csv');
  if (existsSync(treePath)) {
    const tr = await reader('category_tree.csv', treePath);
    const tree = await readCategoryTree(treePath, { onBadRow: opts.onBadRow, read: tr.read });
    if (tree.skipped) skippedRows['category_tree.csv'] = tree.skipped;
    digests.push({ name: 'category_tree.csv', sha256: tr.finish() });
    categoryParent = tree.parent;
  } else notes.push('category_tree.csv is absent: no category tree');

  const propPaths = PROPERTY_FILES.map((f) => join(dir, f)).filter((p) => existsSync(p));
  if (propPaths.length > 0) {
    const snaps = new SnapshotCollector();
    for (const p of propPaths) {
      const name = p.slice(p.length - PROPERTY_FILES[0].length);
      const fr = await reader(name, p);
      const skipped = await readPropertiesCsv(p, snaps, (id) => itemIdx.get(id) >= 0, { onBadRow: opts.onBadRow, read: fr.read });
      if (skipped) skippedRows[name] = skipped;
      digests.push({ name, sha256: fr.finish() });
    }
    if (propPaths.length < PROPERTY_FILES.length) notes.push(`only ${propPaths.length} of the 2 item property files is present`);
    joinProperties(events, itemIdx, snaps, notes);
  } else {
    notes.push('item_properties_part1/2.csv are absent: category and availability are unknown (-1) for every event');
  }

  if (isSample) notes.push(`read the real 5,000-visitor sample ${SAMPLE_EVENTS_FILE} (no events.csv in ${dir})`);
  if (marker) notes.push(`synthetic data (${SYNTHETIC_MARKER}: ${marker})`);
  return {
    meta: {
      kind: synthetic ? 'synthetic' : 'retailrocket',
      name: synthetic ? `retailrocket-format synthetic${marker ? ` ${marker}` : ''}` : isSample ? 'retailrocket (sample)' : 'retailrocket',
      path: dir,
      synthetic,
      fingerprint: combineFingerprint(digests),
      ...(Object.keys(skippedRows).length ? { skippedRows } : {}),
      notes,
    },
    events,
    users: userIdx.toIdMap(),
    items: itemIdx.toIdMap(),
    ...(categoryParent ? { categoryParent } : {}),
  };
}

function joinProperties(events: ReturnType<typeof allocEvents>, itemIdx: RawIdIndex, snaps: SnapshotCollector, notes: string[]): void {
  const s = snaps.result();
  for (const kind of [0, 1] as const) {
    const rows: number[] = [];
    for (let k = 0; k < s.length; k++) if (s.kind[k] === kind) rows.push(k);
    const ts = new Float64Array(rows.length);
    const item = new Int32Array(rows.length);
    const value = new Int32Array(rows.length);
    rows.forEach((k, r) => {
      ts[r] = s.ts[k];
      item[r] = itemIdx.get(s.item[k]);
      value[r] = s.value[k];
    });
    const res = asOfJoin(events.ts, events.item, itemIdx.size, ts, item, value);
    const what = kind === 0 ? 'categoryid' : 'available';
    if (kind === 0) events.category.set(res.value);
    else for (let i = 0; i < res.value.length; i++) events.available[i] = res.value[i];
    notes.push(
      `${what}: joined as of event time from ${rows.length} snapshot rows; ${res.fallback} events precede their item's first snapshot and use the earliest one; ${res.missing} events have no ${what} snapshot (-1)`,
    );
  }
}

function resolveEventsFile(dir: string, explicit?: string): string {
  if (!existsSync(dir)) {
    throw new RecError('DATA_MISSING', `RetailRocket directory ${dir} does not exist. Download the data with \`funnelrec data download\`, place the Kaggle CSVs there by hand, or generate synthetic data with \`funnelrec data generate\`.`, { path: dir });
  }
  if (explicit) {
    const p = isAbsolute(explicit) ? explicit : join(dir, explicit);
    if (!existsSync(p)) throw new RecError('DATA_MISSING', `Events file ${p} does not exist.`, { path: p });
    return p;
  }
  for (const f of ['events.csv', SAMPLE_EVENTS_FILE]) if (existsSync(join(dir, f))) return join(dir, f);
  throw new RecError('DATA_MISSING', `No events.csv in ${dir}. Download the data with \`funnelrec data download\` (or unzip the Kaggle files there by hand), or generate synthetic data with \`funnelrec data generate\`.`, { path: dir });
}

/** A short description of the synthetic marker (seed, preset) or "yes" when unreadable. */
async function readMarker(dir: string): Promise<string | undefined> {
  const p = join(dir, SYNTHETIC_MARKER);
  if (!existsSync(p)) return undefined;
  try {
    const m = JSON.parse(await readFile(p, 'utf8')) as Record<string, unknown>;
    const parts = ['preset', 'scale', 'seed'].filter((k) => m[k] !== undefined && typeof m[k] !== 'object').map((k) => `${k}=${String(m[k])}`);
    return parts.length ? parts.join(' ') : 'generated';
  } catch {
    return 'generated (marker unreadable)';
  }
}
