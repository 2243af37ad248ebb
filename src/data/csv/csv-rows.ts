import { basename } from 'node:path';
import type { BadRowPolicy } from '../dataset.js';
import { BadRows, checkHeader } from './bad-rows.js';
import { splitCsvLine } from './fields.js';
import { forEachLine, type ForEachLineOptions } from './line-reader.js';

/**
 * Row callback of `forEachCsvRow`: return a problem text (read after "line N", e.g.
 * `: rating "x" is not a number`) to report the row as malformed, or nothing to accept it.
 */
export type CsvRowFn = (fields: string[], lineNo: number) => string | void;

/**
 * Reads a CSV file with quoted-field support, for the generic (smaller) formats. The header's
 * fields go to `onHeader` (which throws on a wrong header); data rows with a column count other
 * than the header's, an unclosed quote or a problem returned by `onRow` go to the bad-row policy.
 *
 * @returns the BadRows account of the file (skipped count) and the header (undefined for an empty file).
 */
export async function forEachCsvRow(
  path: string,
  onHeader: (fields: string[]) => void,
  onRow: CsvRowFn,
  opts: { onBadRow?: BadRowPolicy; name?: string; read?: ForEachLineOptions } = {},
): Promise<{ bad: BadRows; header?: string[] }> {
  const bad = new BadRows(opts.name ?? basename(path), opts.onBadRow);
  let header: string[] | undefined;
  await forEachLine(
    path,
    (buf, s, e, lineNo) => {
      const line = buf.toString('utf8', s, e);
      const fields = splitCsvLine(line);
      if (lineNo === 1) {
        header = (fields ?? [line]).map((f) => f.trim());
        onHeader(header);
        return;
      }
      if (fields === null) return bad.report(lineNo, 'has an unclosed quote');
      if (fields.length !== header!.length) {
        return bad.report(
          lineNo,
          line === ''
            ? `is empty, expected ${header!.length} columns`
            : `has ${fields.length} columns, expected ${header!.length}`,
        );
      }
      const problem = onRow(fields, lineNo);
      if (problem) bad.report(lineNo, problem);
    },
    opts.read,
  );
  return { bad, header };
}

/**
 * Row callback of `forEachRawCsvRow`: the data line is `buf[start, end)` (reused after the call:
 * copy what you keep). Return a problem text (read after "line N") to report the row as malformed.
 */
export type RawCsvRowFn = (buf: Buffer, start: number, end: number, lineNo: number) => string | void;

/**
 * Streams a CSV whose first line must be exactly `header` (else `DATA_INVALID`, also for an empty
 * file) and hands each data line's bytes to `onRow`, without building strings: the hot path of the
 * RetailRocket readers. A problem returned by `onRow` goes to the bad-row policy.
 *
 * @returns the number of skipped rows.
 */
export async function forEachRawCsvRow(
  path: string,
  header: string,
  onRow: RawCsvRowFn,
  opts: { onBadRow?: BadRowPolicy; name?: string; read?: ForEachLineOptions } = {},
): Promise<number> {
  const name = opts.name ?? basename(path);
  const bad = new BadRows(name, opts.onBadRow);
  let seen: string | undefined;
  await forEachLine(
    path,
    (buf, s, e, lineNo) => {
      if (lineNo === 1) {
        seen = buf.toString('utf8', s, e);
        checkHeader(name, seen, header);
        return;
      }
      const problem = onRow(buf, s, e, lineNo);
      if (problem) bad.report(lineNo, problem);
    },
    opts.read,
  );
  checkHeader(name, seen, header);
  return bad.skipped;
}
