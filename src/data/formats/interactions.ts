import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { RecError } from '../../core/errors.js';
import { eventCode } from '../../core/events.js';
import { throttleProgress } from '../../core/progress.js';
import { forEachCsvRow } from '../csv/csv-rows.js';
import { ChunkHasher, combineFingerprint } from '../csv/file-digest.js';
import { GrowableF64, GrowableI32 } from '../csv/growable.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { timeOrderedEvents } from './time-ordered-events.js';

/** How the timestamps of an interactions file are written (decided from its first data row). */
export type TimestampFormat = 'epoch-seconds' | 'epoch-milliseconds' | 'iso-8601';

/** Numbers at or above this are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973-03-03). */
const MS_THRESHOLD = 1e11;
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Detects the format of one timestamp text; undefined when it is none of them. */
export function detectTimestampFormat(text: string): TimestampFormat | undefined {
  if (/^\d{1,16}(\.\d+)?$/.test(text))
    return Number(text) >= MS_THRESHOLD ? 'epoch-milliseconds' : 'epoch-seconds';
  return Number.isFinite(parseTimestamp(text, 'iso-8601')) ? 'iso-8601' : undefined;
}

/** Epoch milliseconds of `text` in `format`, NaN when it does not fit the format. */
export function parseTimestamp(text: string, format: TimestampFormat): number {
  if (format === 'iso-8601') {
    const m = ISO.exec(text);
    if (!m) return NaN;
    // A date-time without a zone is read as UTC (JavaScript would read it as local time).
    return Date.parse(
      m[1] !== undefined && m[4] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'),
    );
  }
  if (!/^\d{1,16}(\.\d+)?$/.test(text)) return NaN;
  return format === 'epoch-seconds' ? Math.round(Number(text) * 1000) : Number(text);
}

const ALIASES: Record<'user' | 'item' | 'timestamp' | 'event', string[]> = {
  user: ['user', 'user_id', 'userid', 'visitorid', 'visitor_id'],
  item: ['item', 'item_id', 'itemid', 'product_id'],
  timestamp: ['timestamp', 'ts', 'time'],
  event: ['event', 'event_type'],
};

/**
 * Loads a generic interactions CSV with a required header naming the columns `user`, `item`,
 * `timestamp` and optionally `event` (case-insensitive, any order; aliases such as `user_id`,
 * `item_id`, `ts`, `event_type` accepted; other columns ignored). Timestamps are epoch seconds,
 * epoch milliseconds (numbers ≥ 1e11) or ISO-8601 (a date-time without zone is read as UTC); the format is
 * detected from the first data row, every row must use it, and it is noted in `meta.notes`.
 * `event` is view, addtocart or transaction (default view).
 */
export async function loadInteractions(file: string, opts: LoadOptions = {}): Promise<Dataset> {
  if (!existsSync(file)) {
    throw new RecError(
      'DATA_MISSING',
      `Interactions file ${file} does not exist (expected a CSV with header user,item,timestamp[,event]).`,
      { path: file },
    );
  }
  const name = basename(file);
  const onProgress = throttleProgress(opts.onProgress);
  const col = { user: -1, item: -1, timestamp: -1, event: -1 };
  const user: string[] = [];
  const item: string[] = [];
  const ts = new GrowableF64(1 << 12);
  const ev = new GrowableI32(1 << 12);
  let format: TimestampFormat | undefined;
  const hasher = new ChunkHasher(['sha256']);
  const { bad } = await forEachCsvRow(
    file,
    (h) => {
      const lower = h.map((x) => x.toLowerCase());
      for (const k of Object.keys(ALIASES) as (keyof typeof ALIASES)[])
        col[k] = lower.findIndex((x) => ALIASES[k].includes(x));
      const missing = (['user', 'item', 'timestamp'] as const).filter((k) => col[k] < 0);
      if (missing.length) {
        throw new RecError(
          'DATA_INVALID',
          `Cannot read ${name}: line 1 is "${h.join(',')}", expected a header with columns user,item,timestamp[,event] (missing: ${missing.join(', ')})`,
          { file: name, line: 1 },
        );
      }
    },
    (f) => {
      const [u, it, t] = [f[col.user], f[col.item], f[col.timestamp].trim()];
      if (u === '' || it === '') return ': user and item must not be empty';
      format ??= detectTimestampFormat(t);
      const ms = format ? parseTimestamp(t, format) : NaN;
      if (!Number.isFinite(ms))
        return `: timestamp "${t}" is not ${format ?? 'epoch seconds, epoch milliseconds or ISO-8601'}`;
      const e = col.event < 0 || f[col.event] === '' ? 0 : eventCode(f[col.event].trim());
      if (e < 0) return `: event "${f[col.event]}" is not one of view, addtocart, transaction`;
      user.push(u);
      item.push(it);
      ts.push(ms);
      ev.push(e);
    },
    {
      onBadRow: opts.onBadRow,
      read: {
        onChunk: hasher.update,
        onBytes: (done) => onProgress({ task: `read ${name}`, done, unit: 'bytes' }),
      },
    },
  );
  if (col.user < 0)
    throw new RecError(
      'DATA_INVALID',
      `Cannot read ${name}: the file is empty, expected a header user,item,timestamp[,event]`,
      { file: name },
    );
  const { events, users, items, order } = timeOrderedEvents(ts.toArray(), user, item);
  for (let r = 0; r < order.length; r++) events.event[r] = ev.data[order[r]];
  return {
    meta: {
      kind: 'interactions',
      name: `interactions ${name}`,
      path: file,
      synthetic: false,
      fingerprint: combineFingerprint([{ name, sha256: hasher.digest().sha256 }]),
      ...(bad.skipped ? { skippedRows: { [name]: bad.skipped } } : {}),
      notes: [
        `timestamps read as ${format ?? 'nothing (no rows)'}${format === 'iso-8601' ? ' (no zone = UTC)' : ''}`,
        ...(col.event < 0 ? ['no event column: every row is a view'] : []),
      ],
    },
    events,
    users,
    items,
  };
}
