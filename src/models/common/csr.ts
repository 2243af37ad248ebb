/**
 * Compressed sparse row matrices over dense indices, and the weighted user × item interaction
 * matrix every collaborative model starts from.
 *
 * A `Csr` of shape nRows × nCols holds row r's entries in `indices/data[indptr[r] .. indptr[r+1])`,
 * column indices sorted ascending, duplicates summed. Memory: (nRows + 1) + 2·nnz 4-byte words.
 * Building is O(nnz + nRows) (counting sort; no comparison sort).
 */
import type { TrainData } from '../types.js';
import { decayFactor, weightTable, type EventWeights } from './event-weights.js';

/** A sparse matrix in CSR form: row r owns `indices/data[indptr[r] .. indptr[r+1])`, columns ascending. */
export interface Csr {
  readonly nRows: number;
  readonly nCols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/** Both orientations of one matrix: `byRow` (e.g. user → items) and `byCol` (item → users). */
export interface CsrPair {
  readonly byRow: Csr;
  readonly byCol: Csr;
}

/** Allocator for the CSR arrays (plain or SharedArrayBuffer-backed, for worker threads). */
export interface CsrAlloc {
  int32(n: number): Int32Array;
  float32(n: number): Float32Array;
}

const plainAlloc: CsrAlloc = { int32: (n) => new Int32Array(n), float32: (n) => new Float32Array(n) };

/** SharedArrayBuffer-backed allocator: the CSR can be handed to worker threads without copying. */
export const sharedAlloc: CsrAlloc = {
  int32: (n) => new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n),
  float32: (n) => new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n),
};

/**
 * Builds the CSR of the triplets (rows[t], cols[t], vals[t]); duplicate (row, col) pairs are summed.
 * `vals` may be omitted (every triplet counts 1). Entries are ordered by column inside each row.
 */
export function buildCsr(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number> | null,
  nRows: number,
  nCols: number,
  alloc: CsrAlloc = plainAlloc,
): Csr {
  // Counting sort by column, then a stable counting sort by row: rows grouped, columns ascending.
  const n = rows.length;
  const byCol = countingOrder(cols, nCols, null);
  const order = countingOrder(rows, nRows, byCol);
  // Merge duplicates while copying.
  const rowCount = new Int32Array(nRows);
  const tmpIdx = new Int32Array(n);
  const tmpVal = new Float64Array(n);
  let nnz = 0;
  let prevR = -1;
  let prevC = -1;
  for (let t = 0; t < n; t++) {
    const e = order[t];
    const r = rows[e];
    const c = cols[e];
    const v = vals ? vals[e] : 1;
    if (r === prevR && c === prevC) {
      tmpVal[nnz - 1] += v;
      continue;
    }
    tmpIdx[nnz] = c;
    tmpVal[nnz] = v;
    rowCount[r]++;
    nnz++;
    prevR = r;
    prevC = c;
  }
  const indptr = alloc.int32(nRows + 1);
  for (let r = 0; r < nRows; r++) indptr[r + 1] = indptr[r] + rowCount[r];
  const indices = alloc.int32(nnz);
  const data = alloc.float32(nnz);
  for (let t = 0; t < nnz; t++) {
    indices[t] = tmpIdx[t];
    data[t] = tmpVal[t];
  }
  return { nRows, nCols, indptr, indices, data };
}

/** Stable counting-sort permutation of `keys` (0..nKeys-1), visiting elements in `within` order. */
function countingOrder(keys: ArrayLike<number>, nKeys: number, within: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(nKeys + 1);
  for (let t = 0; t < n; t++) {
    const k = keys[t];
    if (!(k >= 0 && k < nKeys)) throw new RangeError(`CSR index ${k} outside [0, ${nKeys})`);
    start[k + 1]++;
  }
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const e = within ? within[t] : t;
    out[start[keys[e]]++] = e;
  }
  return out;
}

/** The transpose (nCols × nRows), columns ascending inside each row. O(nnz + nRows + nCols). */
export function transposeCsr(m: Csr, alloc: CsrAlloc = plainAlloc): Csr {
  const nnz = m.indptr[m.nRows];
  const indptr = alloc.int32(m.nCols + 1);
  for (let t = 0; t < nnz; t++) indptr[m.indices[t] + 1]++;
  for (let c = 0; c < m.nCols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, m.nCols);
  const indices = alloc.int32(nnz);
  const data = alloc.float32(nnz);
  for (let r = 0; r < m.nRows; r++) {
    for (let t = m.indptr[r]; t < m.indptr[r + 1]; t++) {
      const p = next[m.indices[t]]++;
      indices[p] = r;
      data[p] = m.data[t];
    }
  }
  return { nRows: m.nCols, nCols: m.nRows, indptr, indices, data };
}

/** Copies a matrix into SharedArrayBuffer-backed arrays (to hand it to worker threads). O(nnz + nRows). */
export function shareCsr(m: Csr): Csr {
  const indptr = sharedAlloc.int32(m.indptr.length);
  const indices = sharedAlloc.int32(m.indices.length);
  const data = sharedAlloc.float32(m.data.length);
  indptr.set(m.indptr);
  indices.set(m.indices);
  data.set(m.data);
  return { nRows: m.nRows, nCols: m.nCols, indptr, indices, data };
}

/**
 * The matrix without its stored entries that are not > 0 (e.g. strengths that underflowed to 0 in
 * float32); returns `m` itself when there are none. O(nnz + nRows).
 */
export function dropZeroEntries(m: Csr): Csr {
  let zeros = 0;
  for (let t = 0; t < m.data.length; t++) if (!(m.data[t] > 0)) zeros++;
  if (zeros === 0) return m;
  const indptr = new Int32Array(m.nRows + 1);
  const indices = new Int32Array(m.data.length - zeros);
  const data = new Float32Array(m.data.length - zeros);
  let out = 0;
  for (let r = 0; r < m.nRows; r++) {
    for (let t = m.indptr[r]; t < m.indptr[r + 1]; t++) {
      if (!(m.data[t] > 0)) continue;
      indices[out] = m.indices[t];
      data[out++] = m.data[t];
    }
    indptr[r + 1] = out;
  }
  return { nRows: m.nRows, nCols: m.nCols, indptr, indices, data };
}

/** Number of stored entries. */
export function csrNnz(m: Csr): number {
  return m.indptr[m.nRows];
}

/** Options of {@link interactionMatrix}. */
export interface InteractionOptions {
  eventWeights: EventWeights;
  /** Half-life of the time decay in days (reference time: `data.cutTime`); null = no decay. */
  halfLifeDays: number | null;
  alloc?: CsrAlloc;
}

/**
 * The user × item interaction strength w_ui = Σ_events weight(type) · 2^(-(cut − ts)/halfLife),
 * in both orientations. Events whose weight is 0 add no entry.
 */
export function interactionMatrix(data: TrainData, opts: InteractionOptions): CsrPair {
  const ev = data.events;
  const w = weightTable(opts.eventWeights);
  const rows = new Int32Array(ev.length);
  const cols = new Int32Array(ev.length);
  const vals = new Float64Array(ev.length);
  let n = 0;
  for (let r = 0; r < ev.length; r++) {
    const v = w[ev.event[r]] * decayFactor(data.cutTime, ev.ts[r], opts.halfLifeDays);
    if (!(v > 0)) continue;
    rows[n] = ev.user[r];
    cols[n] = ev.item[r];
    vals[n++] = v;
  }
  const byRow = buildCsr(
    rows.subarray(0, n),
    cols.subarray(0, n),
    vals.subarray(0, n),
    data.nUsers,
    data.nItems,
    opts.alloc,
  );
  return { byRow, byCol: transposeCsr(byRow, opts.alloc) };
}

/** Event-weighted (and decayed) strength of each history item of a query, duplicates summed. */
export function historyWeights(
  items: Int32Array,
  events: Uint8Array,
  ts: Float64Array | undefined,
  time: number,
  nItems: number,
  opts: Omit<InteractionOptions, 'alloc'>,
): { items: Int32Array; weights: Float32Array } {
  const w = weightTable(opts.eventWeights);
  const acc = new Map<number, number>();
  for (let j = 0; j < items.length; j++) {
    const it = items[j];
    if (it < 0 || it >= nItems) continue;
    const v = (w[events[j]] ?? 1) * (ts ? decayFactor(time, ts[j], opts.halfLifeDays) : 1);
    if (!(v > 0)) continue;
    acc.set(it, (acc.get(it) ?? 0) + v);
  }
  const keys = Int32Array.from(acc.keys()).sort();
  const weights = new Float32Array(keys.length);
  for (let j = 0; j < keys.length; j++) weights[j] = acc.get(keys[j])!;
  return { items: keys, weights };
}
