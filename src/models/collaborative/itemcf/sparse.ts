/**
 * Compressed sparse rows for the neighbourhood models (Item-CF, User-CF, session-kNN).
 *
 * Kept inside `itemcf/` because `src/models/common/csr.ts` did not exist when these models were
 * written; it is small and general (`buildCsr`, `transposeCsr`), so it can move there unchanged.
 *
 * Cost: `buildCsr` O(nnz + nRows) time (counting sort, then a per-row sort of the column indices to
 * merge duplicates), O(nnz) memory; `transposeCsr` O(nnz + nCols).
 */
import { EventWeightsSchema, decayFactor, weightTable, type EventWeights } from '../../common/event-weights.js';
import type { TrainData } from '../../types.js';

/** A sparse matrix in CSR form: row r owns `indices/data[indptr[r] .. indptr[r+1])`, columns ascending. */
export interface Csr {
  readonly nRows: number;
  readonly nCols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/**
 * Builds a CSR matrix from coordinate triples; duplicate (row, col) entries are summed (in float64,
 * then stored as float32) and columns come out sorted inside each row.
 */
export function buildCsr(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number> | null,
  nRows: number,
  nCols: number,
): Csr {
  const n = rows.length;
  const count = new Int32Array(nRows + 1);
  for (let e = 0; e < n; e++) count[rows[e] + 1]++;
  for (let r = 0; r < nRows; r++) count[r + 1] += count[r];
  const fill = count.slice(0, nRows);
  const tmpCol = new Int32Array(n);
  const tmpVal = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const p = fill[rows[e]]++;
    tmpCol[p] = cols[e];
    tmpVal[p] = vals ? vals[e] : 1;
  }
  // Per row: sort by column (stable order of equal columns does not matter: they are summed).
  const indptr = new Int32Array(nRows + 1);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  const order: number[] = [];
  let out = 0;
  for (let r = 0; r < nRows; r++) {
    const s = count[r];
    const e = count[r + 1];
    order.length = 0;
    for (let p = s; p < e; p++) order.push(p);
    if (e - s > 1) order.sort((a, b) => tmpCol[a] - tmpCol[b]);
    let last = -1;
    let acc = 0;
    for (const p of order) {
      if (tmpCol[p] !== last) {
        if (last >= 0) {
          indices[out] = last;
          data[out++] = acc;
        }
        last = tmpCol[p];
        acc = 0;
      }
      acc += tmpVal[p];
    }
    if (last >= 0) {
      indices[out] = last;
      data[out++] = acc;
    }
    indptr[r + 1] = out;
  }
  return { nRows, nCols, indptr, indices: indices.slice(0, out), data: data.slice(0, out) };
}

/** The transpose (nCols × nRows), columns ascending inside each row. */
export function transposeCsr(a: Csr): Csr {
  const nnz = a.indptr[a.nRows];
  const indptr = new Int32Array(a.nCols + 1);
  for (let p = 0; p < nnz; p++) indptr[a.indices[p] + 1]++;
  for (let c = 0; c < a.nCols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, a.nCols);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let r = 0; r < a.nRows; r++) {
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const q = fill[a.indices[p]]++;
      indices[q] = r;
      data[q] = a.data[p];
    }
  }
  return { nRows: a.nCols, nCols: a.nRows, indptr, indices, data };
}

/** Copies a CSR matrix into SharedArrayBuffer-backed arrays (for worker threads). */
export function shareCsr(a: Csr): Csr {
  const share = <T extends Int32Array | Float32Array>(x: T, C: new (b: SharedArrayBuffer) => T): T => {
    const y = new C(new SharedArrayBuffer(x.length * 4));
    y.set(x);
    return y;
  };
  return {
    nRows: a.nRows,
    nCols: a.nCols,
    indptr: share(a.indptr, Int32Array),
    indices: share(a.indices, Int32Array),
    data: share(a.data, Float32Array),
  };
}

/** Options of the interaction matrix shared by the neighbourhood models. */
export interface InteractionWeighting {
  eventWeights: EventWeights;
  /** Half-life in days of the time decay towards the cut; null = no decay. */
  halfLifeDays: number | null;
}

/**
 * The user × item interaction matrix: r_ui = Σ over u's training events on i of
 * w(event type) · 2^(−(cut − ts)/halfLife). Entries whose weight sums to 0 are kept out.
 */
export function interactionMatrix(data: TrainData, opts: InteractionWeighting): Csr {
  const ev = data.events;
  const w = weightTable(EventWeightsSchema.parse(opts.eventWeights));
  const vals = new Float64Array(ev.length);
  for (let r = 0; r < ev.length; r++) vals[r] = w[ev.event[r]] * decayFactor(data.cutTime, ev.ts[r], opts.halfLifeDays);
  const m = buildCsr(ev.user, ev.item, vals, data.nUsers, data.nItems);
  return dropZeros(m);
}

function dropZeros(a: Csr): Csr {
  let zeros = 0;
  for (let p = 0; p < a.data.length; p++) if (!(a.data[p] > 0)) zeros++;
  if (zeros === 0) return a;
  const indptr = new Int32Array(a.nRows + 1);
  const indices = new Int32Array(a.data.length - zeros);
  const data = new Float32Array(a.data.length - zeros);
  let out = 0;
  for (let r = 0; r < a.nRows; r++) {
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      if (!(a.data[p] > 0)) continue;
      indices[out] = a.indices[p];
      data[out++] = a.data[p];
    }
    indptr[r + 1] = out;
  }
  return { nRows: a.nRows, nCols: a.nCols, indptr, indices, data };
}
