/**
 * Cleaning of a loaded data set: impossible rows, exact duplicates and bot-like visitors.
 *
 * Rules, applied in this order (each later rule sees only the rows the earlier ones kept):
 * 1. **Invalid rows** — a timestamp that is not finite or is negative, an event code outside
 *    0..2, or a negative user/item index. Always counted; dropped (`invalidRows: 'drop'`, default)
 *    or reported as a `DATA_INVALID` error (`'fail'`). They cannot be kept: a row without a valid
 *    time cannot be placed before or after a split cut.
 * 2. **Transactions without a transaction id** — only checked when the source has ids (at least one
 *    row carries one). Counted, and by default kept (`missingTransactionId: 'keep'`): the purchase
 *    is the rarest and most valuable signal and the id only groups a basket. `'drop'` removes them,
 *    `'fail'` throws.
 * 3. **Exact duplicates** — same (ts, user, item, event); the first row is kept. The transaction id
 *    is not part of the key.
 * 4. **Bot-like visitors** — every row of a visitor with more than `maxEventsPerVisitor` events in
 *    total, or more than `maxEventsPerMinute` events inside any 60-second sliding window. `null`
 *    switches a rule off. See README.md for how the defaults were chosen from the real sample.
 *
 * Row order is kept (the output is still sorted by time). Id maps are not re-indexed: removed
 * visitors keep their index and simply have no events, so indices stay comparable across steps.
 */
import { z } from 'zod';
import { takeEvents, type EventTable } from '../../core/events.js';
import { RecError } from '../../core/errors.js';
import type { Dataset } from '../dataset.js';
import { groupByKey, keyCount, timeOrder } from './order.js';

const MINUTE_MS = 60_000;

/** Cleaning configuration; unknown keys are errors. */
export const CleanConfigSchema = z
  .object({
    /** What to do with rows whose ts/event/user/item is impossible. */
    invalidRows: z.enum(['drop', 'fail']).default('drop'),
    /** What to do with transaction rows lacking a transaction id (when the source has ids). */
    missingTransactionId: z.enum(['keep', 'drop', 'fail']).default('keep'),
    /** Remove exact duplicates (same ts, user, item, event). */
    dropDuplicates: z.boolean().default(true),
    /** A visitor with more events than this is a bot (null: rule off). */
    maxEventsPerVisitor: z.number().int().positive().nullable().default(1000),
    /** A visitor with more events than this in any 60 s window is a bot (null: rule off). */
    maxEventsPerMinute: z.number().int().positive().nullable().default(30),
  })
  .strict();
export type CleanConfig = z.infer<typeof CleanConfigSchema>;

/** What cleaning removed, per rule. Row counts of each rule exclude rows removed by earlier ones. */
export interface CleanReport {
  inputRows: number;
  outputRows: number;
  /** True when at least one input row carries a transaction id. */
  sourceHasTransactionIds: boolean;
  removed: {
    invalidTimestamp: number;
    invalidEvent: number;
    invalidIndex: number;
    missingTransactionId: number;
    duplicate: number;
    botRows: number;
  };
  /** Transaction rows without id that were kept (`missingTransactionId: 'keep'`). */
  keptMissingTransactionId: number;
  /** Distinct visitors removed as bots, and how many each rule flagged (a visitor may hit both). */
  botVisitors: number;
  botVisitorsByRule: { tooManyEvents: number; tooFast: number };
  /** The effective configuration. */
  config: CleanConfig;
}

/** Parses a partial config (defaults filled in); throws `CONFIG_INVALID` naming the bad key. */
export function parseCleanConfig(cfg: unknown = {}): CleanConfig {
  const r = CleanConfigSchema.safeParse(cfg);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RecError('CONFIG_INVALID', `Invalid clean config: ${msg}`, { issues: r.error.issues });
  }
  return r.data;
}

/** Cleans `ds` (pure: the input is not modified). See the module comment for the rules. */
export function cleanEvents(
  ds: Dataset,
  cfg: Partial<CleanConfig> = {},
): { dataset: Dataset; report: CleanReport } {
  const config = parseCleanConfig(cfg);
  const ev = ds.events;
  const keep = new Uint8Array(ev.length).fill(1);
  const report: CleanReport = {
    inputRows: ev.length,
    outputRows: 0,
    sourceHasTransactionIds: false,
    removed: {
      invalidTimestamp: 0,
      invalidEvent: 0,
      invalidIndex: 0,
      missingTransactionId: 0,
      duplicate: 0,
      botRows: 0,
    },
    keptMissingTransactionId: 0,
    botVisitors: 0,
    botVisitorsByRule: { tooManyEvents: 0, tooFast: 0 },
    config,
  };
  markInvalid(ev, keep, report);
  markMissingTransactionIds(ev, keep, report);
  if (config.dropDuplicates) report.removed.duplicate = markDuplicates(ev, keep);
  markBots(ev, keep, report);

  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i];
  const rows = new Int32Array(n);
  for (let i = 0, r = 0; i < keep.length; i++) if (keep[i]) rows[r++] = i;
  report.outputRows = n;
  return { dataset: subsetDataset(ds, rows, report), report };
}

function markInvalid(ev: EventTable, keep: Uint8Array, report: CleanReport): void {
  const { removed } = report;
  for (let i = 0; i < ev.length; i++) {
    const t = ev.ts[i];
    if (!Number.isFinite(t) || t < 0) removed.invalidTimestamp++;
    else if (ev.event[i] > 2) removed.invalidEvent++;
    else if (ev.user[i] < 0 || ev.item[i] < 0) removed.invalidIndex++;
    else continue;
    keep[i] = 0;
  }
  const bad = removed.invalidTimestamp + removed.invalidEvent + removed.invalidIndex;
  if (bad > 0 && report.config.invalidRows === 'fail') {
    throw new RecError(
      'DATA_INVALID',
      `Cannot clean events: ${bad} impossible rows (${removed.invalidTimestamp} bad timestamps, ` +
        `${removed.invalidEvent} bad event codes, ${removed.invalidIndex} negative indices); ` +
        `fix the source or use invalidRows: 'drop'`,
      { ...removed },
    );
  }
}

function markMissingTransactionIds(ev: EventTable, keep: Uint8Array, report: CleanReport): void {
  for (let i = 0; i < ev.length && !report.sourceHasTransactionIds; i++) {
    if (ev.transaction[i] >= 0) report.sourceHasTransactionIds = true;
  }
  if (!report.sourceHasTransactionIds) return;
  let missing = 0;
  for (let i = 0; i < ev.length; i++) if (keep[i] && ev.event[i] === 2 && ev.transaction[i] < 0) missing++;
  if (missing === 0) return;
  const policy = report.config.missingTransactionId;
  if (policy === 'fail') {
    throw new RecError(
      'DATA_INVALID',
      `Cannot clean events: ${missing} transaction rows have no transaction id although the source has ids; ` +
        `use missingTransactionId: 'keep' or 'drop'`,
      { missing },
    );
  }
  if (policy === 'keep') {
    report.keptMissingTransactionId = missing;
    return;
  }
  for (let i = 0; i < ev.length; i++) if (keep[i] && ev.event[i] === 2 && ev.transaction[i] < 0) keep[i] = 0;
  report.removed.missingTransactionId = missing;
}

/**
 * Exact duplicates share a timestamp, so they are found inside runs of equal ts in time order:
 * pairwise for small runs, with a Set of keys for large ones. Keeps the lowest row index.
 */
export function markDuplicates(ev: EventTable, keep: Uint8Array): number {
  const order = timeOrder(ev.ts);
  let removed = 0;
  let a = 0;
  while (a < order.length) {
    let b = a + 1;
    while (b < order.length && ev.ts[order[b]] === ev.ts[order[a]]) b++;
    if (b - a > 1) removed += dedupeRun(ev, keep, order, a, b);
    a = b;
  }
  return removed;
}

function dedupeRun(ev: EventTable, keep: Uint8Array, order: Int32Array, a: number, b: number): number {
  let removed = 0;
  if (b - a <= 32) {
    for (let x = a; x < b; x++) {
      const i = order[x];
      if (!keep[i]) continue;
      for (let y = a; y < x; y++) {
        const j = order[y];
        if (
          keep[j] &&
          ev.user[j] === ev.user[i] &&
          ev.item[j] === ev.item[i] &&
          ev.event[j] === ev.event[i]
        ) {
          keep[i] = 0;
          removed++;
          break;
        }
      }
    }
    return removed;
  }
  const seen = new Set<string>();
  for (let x = a; x < b; x++) {
    const i = order[x];
    if (!keep[i]) continue;
    const k = `${ev.user[i]},${ev.item[i]},${ev.event[i]}`;
    if (seen.has(k)) {
      keep[i] = 0;
      removed++;
    } else seen.add(k);
  }
  return removed;
}

/** Flags bot visitors (see rule 4) among kept rows and unmarks all their rows. */
function markBots(ev: EventTable, keep: Uint8Array, report: CleanReport): void {
  const { maxEventsPerVisitor: maxTotal, maxEventsPerMinute: maxMinute } = report.config;
  if (maxTotal === null && maxMinute === null) return;
  const order = timeOrder(ev.ts);
  let n = 0;
  for (let r = 0; r < order.length; r++) if (keep[order[r]]) order[n++] = order[r];
  const rows = order.subarray(0, n);
  const nUsers = keyCount(ev.user, rows);
  const { sorted, start } = groupByKey(rows, ev.user, nUsers);
  for (let u = 0; u < nUsers; u++) {
    const s = start[u];
    const e = start[u + 1];
    const tooMany = maxTotal !== null && e - s > maxTotal;
    const tooFast =
      maxMinute !== null && e - s > maxMinute && maxInWindow(ev.ts, sorted, s, e, MINUTE_MS) > maxMinute;
    if (!tooMany && !tooFast) continue;
    report.botVisitors++;
    if (tooMany) report.botVisitorsByRule.tooManyEvents++;
    if (tooFast) report.botVisitorsByRule.tooFast++;
    for (let p = s; p < e; p++) keep[sorted[p]] = 0;
    report.removed.botRows += e - s;
  }
}

/** Largest number of rows `sorted[s..e)` (time order) inside any window `[t, t + windowMs)`. */
export function maxInWindow(
  ts: Float64Array,
  sorted: Int32Array,
  s: number,
  e: number,
  windowMs: number,
): number {
  let best = 0;
  let j = s;
  for (let i = s; i < e; i++) {
    const t = ts[sorted[i]];
    while (t - ts[sorted[j]] >= windowMs) j++;
    if (i - j + 1 > best) best = i - j + 1;
  }
  return best;
}

/** The data set restricted to `rows` (ascending), with per-row side columns and the split adjusted. */
function subsetDataset(ds: Dataset, rows: Int32Array, report: CleanReport): Dataset {
  const out: Dataset = { ...ds, events: takeEvents(ds.events, rows) };
  if (ds.session) out.session = pick(ds.session, rows);
  if (ds.rating) out.rating = pick(ds.rating, rows);
  if (ds.predefinedSplit) {
    let trainRows = 0;
    for (let r = 0; r < rows.length && rows[r] < ds.predefinedSplit.trainRows; r++) trainRows++;
    out.predefinedSplit = { trainRows };
  }
  const r = report.removed;
  const note =
    `cleaned: ${report.inputRows - report.outputRows} of ${report.inputRows} rows removed ` +
    `(invalid ${r.invalidTimestamp + r.invalidEvent + r.invalidIndex}, missing transaction id ${r.missingTransactionId}, ` +
    `duplicates ${r.duplicate}, bots ${r.botRows} rows / ${report.botVisitors} visitors)`;
  out.meta = { ...ds.meta, notes: [...(ds.meta.notes ?? []), note] };
  return out;
}

function pick<T extends Int32Array | Float32Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = a[rows[r]];
  return out;
}
