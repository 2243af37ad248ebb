/**
 * Global temporal splits. Train = rows with ts < cut, test = rows with ts ≥ cut; a validation
 * split is carved from the training rows the same way. Row indices are returned in table order.
 * Cost: O(n) for a time-sorted table (the quantile is read off the sorted column), otherwise one
 * native Float64Array sort of a copy of ts.
 */
import type { EventTable } from '../../core/events.js';
import { RecError } from '../../core/errors.js';

export interface TemporalSplitOptions {
  /** Epoch ms of the cut. Exactly one of `cutTime` and `testFraction` must be given. */
  cutTime?: number;
  /**
   * Share of rows (0 < f < 1) to put in test: the cut is the time quantile at 1 - f, i.e. the ts of
   * the row at sorted position n - round(n·f). Rows tied with the cut all go to test, so the test
   * share can be a little larger than f when many rows share that timestamp.
   */
  testFraction?: number;
}

export interface TemporalSplit {
  cutTime: number;
  train: Int32Array;
  test: Int32Array;
}

/** Splits all rows of `events` at a time cut (given, or chosen as a time quantile). */
export function temporalSplit(events: EventTable, opts: TemporalSplitOptions): TemporalSplit {
  const all = new Int32Array(events.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return splitRows(events.ts, all, opts);
}

export interface TrainValidTestSplit {
  testCut: number;
  validCut: number;
  trainRows: Int32Array;
  validRows: Int32Array;
  testRows: Int32Array;
}

/**
 * Test = the last `testFraction` of all rows by time; validation = the last `validFraction` of the
 * remaining (training) rows by time; train = the rest. So `trainRows` ⊂ ts < validCut ≤ `validRows`
 * < testCut ≤ `testRows`.
 */
export function trainValidTestSplit(
  events: EventTable,
  opts: { testFraction: number; validFraction: number },
): TrainValidTestSplit {
  const outer = temporalSplit(events, { testFraction: opts.testFraction });
  const inner = splitRows(events.ts, outer.train, { testFraction: opts.validFraction });
  return {
    testCut: outer.cutTime,
    validCut: Math.min(inner.cutTime, outer.cutTime), // empty train: validCut = testCut
    trainRows: inner.train,
    validRows: inner.test,
    testRows: outer.test,
  };
}

/** Splits `rows` (table order) of a ts column; see `temporalSplit`. */
export function splitRows(ts: Float64Array, rows: Int32Array, opts: TemporalSplitOptions): TemporalSplit {
  const cutTime = chooseCut(ts, rows, opts);
  let nTrain = 0;
  for (let r = 0; r < rows.length; r++) if (ts[rows[r]] < cutTime) nTrain++;
  const train = new Int32Array(nTrain);
  const test = new Int32Array(rows.length - nTrain);
  let a = 0;
  let b = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (ts[row] < cutTime) train[a++] = row;
    else test[b++] = row;
  }
  return { cutTime, train, test };
}

function chooseCut(ts: Float64Array, rows: Int32Array, opts: TemporalSplitOptions): number {
  const { cutTime, testFraction } = opts;
  if ((cutTime === undefined) === (testFraction === undefined)) {
    throw new RecError('CONFIG_INVALID', 'temporalSplit: give exactly one of cutTime and testFraction');
  }
  if (cutTime !== undefined) {
    if (Number.isNaN(cutTime)) throw new RecError('CONFIG_INVALID', 'temporalSplit: cutTime is NaN');
    return cutTime;
  }
  const f = testFraction as number;
  if (!(f > 0 && f < 1)) {
    throw new RecError('CONFIG_INVALID', `temporalSplit: testFraction must be in (0, 1), got ${f}`);
  }
  const n = rows.length;
  if (n === 0) return Infinity;
  const k = Math.min(n - 1, Math.max(0, n - Math.round(n * f)));
  return quantileTs(ts, rows, k);
}

/** The ts at position k of the rows sorted by ts. */
function quantileTs(ts: Float64Array, rows: Int32Array, k: number): number {
  if (isSortedAt(ts, rows)) return ts[rows[k]];
  const copy = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) copy[r] = ts[rows[r]];
  copy.sort();
  return copy[k];
}

function isSortedAt(ts: Float64Array, rows: Int32Array): boolean {
  for (let r = 1; r < rows.length; r++) if (ts[rows[r]] < ts[rows[r - 1]]) return false;
  return true;
}
