import { stat } from 'node:fs/promises';
import { forEachRawCsvRow } from '../csv/csv-rows.js';
import { bytesEqual, excerpt, findSeparators, parseUnsigned } from '../csv/fields.js';
import { GrowableF64, GrowableI32 } from '../csv/growable.js';
import type { ForEachLineOptions } from '../csv/line-reader.js';
import type { BadRowPolicy } from '../dataset.js';

export const EVENTS_HEADER = 'timestamp,visitorid,event,itemid,transactionid';

/** events.csv as read, in file order, with the raw numeric ids. */
export interface RawEvents {
  length: number;
  ts: Float64Array;
  visitor: Float64Array;
  item: Float64Array;
  event: Uint8Array;
  transaction: Int32Array;
  skipped: number;
}

const VIEW = Buffer.from('view');
const CART = Buffer.from('addtocart');
const TRANSACTION = Buffer.from('transaction');

/** Event code of the bytes, -1 when none. */
function eventOf(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 4 && buf[s] === 118 && bytesEqual(buf, s, e, VIEW)) return 0;
  if (len === 9 && bytesEqual(buf, s, e, CART)) return 1;
  if (len === 11 && bytesEqual(buf, s, e, TRANSACTION)) return 2;
  return -1;
}

/**
 * Streams a RetailRocket `events.csv` (`timestamp,visitorid,event,itemid,transactionid`, epoch ms).
 * Every malformed row is reported to the bad-row policy with its line number and problem.
 * `name` is the file name used in messages (defaults to the base name of `path`).
 */
export async function readEventsCsv(
  path: string,
  opts: { onBadRow?: BadRowPolicy; name?: string; read?: ForEachLineOptions } = {},
): Promise<RawEvents> {
  const guess = Math.ceil((await stat(path)).size / 34) + 16;
  const ts = new GrowableF64(guess);
  const visitor = new GrowableF64(guess);
  const item = new GrowableF64(guess);
  const event = new GrowableI32(guess);
  const transaction = new GrowableI32(guess);
  const commas = new Int32Array(4);
  const skipped = await forEachRawCsvRow(
    path,
    EVENTS_HEADER,
    (buf, s, e) => {
      const n = findSeparators(buf, s, e, commas);
      if (n !== 4) return e === s ? 'is empty, expected 5 columns' : `has ${n + 1} columns, expected 5`;
      const t = parseUnsigned(buf, s, commas[0]);
      const v = parseUnsigned(buf, commas[0] + 1, commas[1]);
      const ev = eventOf(buf, commas[1] + 1, commas[2]);
      const it = parseUnsigned(buf, commas[2] + 1, commas[3]);
      const tr = commas[3] + 1 === e ? -1 : parseUnsigned(buf, commas[3] + 1, e);
      if (t < 0 || v < 0 || ev < 0 || it < 0 || (tr < 0 && commas[3] + 1 !== e) || tr > 2147483647) {
        return describeProblem(buf, s, e, commas, { t, v, ev, it, tr });
      }
      ts.push(t);
      visitor.push(v);
      event.push(ev);
      item.push(it);
      transaction.push(tr);
    },
    opts,
  );
  return {
    length: ts.length,
    ts: ts.toArray(),
    visitor: visitor.toArray(),
    item: item.toArray(),
    event: Uint8Array.from(event.toArray()),
    transaction: transaction.toArray(),
    skipped,
  };
}

function describeProblem(
  buf: Buffer,
  s: number,
  e: number,
  c: Int32Array,
  p: { t: number; v: number; ev: number; it: number; tr: number },
): string {
  const field = (a: number, b: number): string => excerpt(buf, a, b);
  if (p.t < 0) return `: timestamp "${field(s, c[0])}" is not an epoch-millisecond integer`;
  if (p.v < 0) return `: visitorid "${field(c[0] + 1, c[1])}" is not a non-negative integer`;
  if (p.ev < 0) return `: event "${field(c[1] + 1, c[2])}" is not one of view, addtocart, transaction`;
  if (p.it < 0) return `: itemid "${field(c[2] + 1, c[3])}" is not a non-negative integer`;
  return `: transactionid "${field(c[3] + 1, e)}" is neither empty nor an integer below 2^31`;
}
