/**
 * Item–item similarity for Item-CF, following implicit's nearest-neighbour recommenders
 * (`CosineRecommender`, `TFIDFRecommender`, `BM25Recommender`, implicit 0.7):
 *
 * - the item × user matrix X (rows = items as "documents", columns = users as "terms") is weighted:
 *   cosine: x_iu / ‖x_i‖;  tfidf: √x_iu · idf_u, then rows L2-normalised;
 *   bm25: x_iu (K1+1) / (K1 · ((1−B) + B·len_i/avgLen) + x_iu) · idf_u  (not normalised),
 *   with idf_u = ln(nItems) − ln(1 + |items of u|) and len_i = Σ_u x_iu;
 * - sim(i, j) = Σ_u X[i,u] · X[j,u], the row i of X·Xᵀ, computed as a sparse product
 *   (item → users → items, Gustavson's row-by-row SpGEMM with a sparse accumulator), and only the
 *   top-K entries of each row are kept (the item itself included, as implicit does).
 *
 * Cost: time O(Σ_u |items(u)|² + nItems·(touched + K log K)), memory O(nnz + nItems·K) plus one
 * float64 accumulator of nItems per thread; no dense item × item matrix is ever built.
 */
import type { Csr } from '../../common/csr.js';

export type SimilarityKind = 'cosine' | 'tfidf' | 'bm25';

export interface WeightingOptions {
  kind: SimilarityKind;
  k1: number;
  b: number;
}

/** Applies the similarity's weighting to the item × user matrix (a new matrix, same pattern). */
export function weightItemUsers(itemUsers: Csr, opts: WeightingOptions): Csr {
  const { nRows, nCols, indptr, indices } = itemUsers;
  const x = itemUsers.data;
  const data = new Float32Array(x.length);
  if (opts.kind === 'cosine') {
    data.set(x);
    normaliseRows(indptr, data);
    return { nRows, nCols, indptr, indices, data };
  }
  // idf per user ("term"): ln N − ln(1 + document frequency).
  const df = new Float64Array(nCols);
  for (let p = 0; p < indices.length; p++) df[indices[p]]++;
  const idf = new Float64Array(nCols);
  for (let u = 0; u < nCols; u++) idf[u] = Math.log(nRows) - Math.log1p(df[u]);
  if (opts.kind === 'tfidf') {
    for (let p = 0; p < x.length; p++) data[p] = Math.sqrt(x[p]) * idf[indices[p]];
    normaliseRows(indptr, data);
    return { nRows, nCols, indptr, indices, data };
  }
  const len = new Float64Array(nRows);
  let total = 0;
  for (let i = 0; i < nRows; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) len[i] += x[p];
    total += len[i];
  }
  const avg = nRows > 0 ? total / nRows : 1;
  const { k1, b } = opts;
  for (let i = 0; i < nRows; i++) {
    const norm = 1 - b + (b * len[i]) / avg;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      data[p] = ((x[p] * (k1 + 1)) / (k1 * norm + x[p])) * idf[indices[p]];
    }
  }
  return { nRows, nCols, indptr, indices, data };
}

function normaliseRows(indptr: Int32Array, data: Float32Array): void {
  for (let r = 0; r + 1 < indptr.length; r++) {
    let ss = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) ss += data[p] * data[p];
    if (ss <= 0) continue;
    const inv = 1 / Math.sqrt(ss);
    for (let p = indptr[r]; p < indptr[r + 1]; p++) data[p] *= inv;
  }
}

/** Fixed-stride top-K output: row r owns slots `[r·K, r·K + count[r])`, best first. */
export interface TopKRows {
  readonly k: number;
  readonly count: Int32Array;
  readonly index: Int32Array;
  readonly value: Float32Array;
}

export function allocTopK(nRows: number, k: number, shared = false): TopKRows {
  const buf = (bytes: number): ArrayBuffer | SharedArrayBuffer =>
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return {
    k,
    count: new Int32Array(buf(nRows * 4)),
    index: new Int32Array(buf(nRows * k * 4)),
    value: new Float32Array(buf(nRows * k * 4)),
  };
}

/** Options of the top-K product kernels. */
export interface ProductOptions {
  /** Leave the diagonal (i, i) out (co-occurrence counts); similarity keeps it. */
  excludeSelf: boolean;
  /** Keep only entries with a value strictly above this (0 drops empty overlaps). */
  minValue: number;
}

/**
 * Reference kernel (readable, slow): row r of A·B with a Map accumulator, sorted by value
 * descending then index ascending, first K kept. Used by tests to check {@link topKProductRows}.
 */
export function topKProductReference(a: Csr, b: Csr, k: number, opts: ProductOptions): TopKRows {
  const out = allocTopK(a.nRows, k);
  for (let r = 0; r < a.nRows; r++) {
    const acc = new Map<number, number>();
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const mid = a.indices[p];
      for (let q = b.indptr[mid]; q < b.indptr[mid + 1]; q++) {
        const c = b.indices[q];
        acc.set(c, (acc.get(c) ?? 0) + a.data[p] * b.data[q]);
      }
    }
    const best = [...acc.entries()]
      .filter(([c, v]) => v > opts.minValue && !(opts.excludeSelf && c === r))
      .map(([c, v]) => [c, Math.fround(v)] as const)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, k);
    out.count[r] = best.length;
    best.forEach(([c, v], j) => {
      out.index[r * k + j] = c;
      out.value[r * k + j] = v;
    });
  }
  return out;
}

/** Scratch of one thread of {@link topKProductRows}; allocate once per thread. */
export interface ProductScratch {
  acc: Float64Array;
  /** mark[c] = row + 1 while column c is in the touched list of that row (reset after the row). */
  mark: Int32Array;
  touched: Int32Array;
  heapIdx: Int32Array;
  heapVal: Float32Array;
}

export function productScratch(nCols: number, k: number): ProductScratch {
  return {
    acc: new Float64Array(nCols),
    mark: new Int32Array(nCols),
    touched: new Int32Array(nCols),
    heapIdx: new Int32Array(k),
    heapVal: new Float32Array(k),
  };
}

/**
 * Fast kernel: rows [start, end) of A·B (A: rows × mid, B: mid × cols) with a dense float64
 * accumulator and a touched-list (Gustavson), then a size-K min-heap keeps the best entries
 * (ties: the lower column index wins, so the result equals the reference exactly).
 */
export function topKProductRows(
  a: Csr,
  b: Csr,
  out: TopKRows,
  start: number,
  end: number,
  opts: ProductOptions,
  s: ProductScratch,
): void {
  const { acc, mark, touched, heapIdx, heapVal } = s;
  const k = out.k;
  const aPtr = a.indptr,
    aIdx = a.indices,
    aVal = a.data;
  const bPtr = b.indptr,
    bIdx = b.indices,
    bVal = b.data;
  for (let r = start; r < end; r++) {
    let nt = 0;
    for (let p = aPtr[r]; p < aPtr[r + 1]; p++) {
      const mid = aIdx[p];
      const w = aVal[p];
      for (let q = bPtr[mid]; q < bPtr[mid + 1]; q++) {
        const c = bIdx[q];
        if (mark[c] !== r + 1) {
          mark[c] = r + 1;
          touched[nt++] = c;
        }
        acc[c] += w * bVal[q];
      }
    }
    // Size-K min-heap on (value, −index): the root is the worst kept entry.
    let h = 0;
    for (let t = 0; t < nt; t++) {
      const c = touched[t];
      const v = Math.fround(acc[c]);
      acc[c] = 0;
      mark[c] = 0;
      if (!(v > opts.minValue) || (opts.excludeSelf && c === r)) continue;
      if (h < k) {
        heapIdx[h] = c;
        heapVal[h] = v;
        siftUp(heapIdx, heapVal, h++);
      } else if (k > 0 && worse(heapVal[0], heapIdx[0], v, c)) {
        heapIdx[0] = c;
        heapVal[0] = v;
        siftDown(heapIdx, heapVal, h);
      }
    }
    // Pop worst-first into the row from the back: best first.
    const base = r * k;
    out.count[r] = h;
    for (let j = h - 1; j >= 0; j--) {
      out.index[base + j] = heapIdx[0];
      out.value[base + j] = heapVal[0];
      heapIdx[0] = heapIdx[j];
      heapVal[0] = heapVal[j];
      siftDown(heapIdx, heapVal, j);
    }
  }
}

/** True when entry (v1, c1) ranks below (v2, c2): smaller value, or equal value and larger index. */
function worse(v1: number, c1: number, v2: number, c2: number): boolean {
  return v1 < v2 || (v1 === v2 && c1 > c2);
}

function siftUp(idx: Int32Array, val: Float32Array, i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(val[i], idx[i], val[p], idx[p])) break;
    swap(idx, val, i, p);
    i = p;
  }
}

function siftDown(idx: Int32Array, val: Float32Array, n: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    const r = l + 1;
    const m = r < n && worse(val[r], idx[r], val[l], idx[l]) ? r : l;
    if (!worse(val[m], idx[m], val[i], idx[i])) return;
    swap(idx, val, i, m);
    i = m;
  }
}

function swap(idx: Int32Array, val: Float32Array, i: number, j: number): void {
  const ti = idx[i];
  idx[i] = idx[j];
  idx[j] = ti;
  const tv = val[i];
  val[i] = val[j];
  val[j] = tv;
}

/** Compacts fixed-stride top-K rows into a CSR matrix (rows keep best-first order). */
export function topKToCsr(t: TopKRows, nCols: number): Csr {
  const nRows = t.count.length;
  const indptr = new Int32Array(nRows + 1);
  for (let r = 0; r < nRows; r++) indptr[r + 1] = indptr[r] + t.count[r];
  const nnz = indptr[nRows];
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let r = 0; r < nRows; r++) {
    indices.set(t.index.subarray(r * t.k, r * t.k + t.count[r]), indptr[r]);
    data.set(t.value.subarray(r * t.k, r * t.k + t.count[r]), indptr[r]);
  }
  return { nRows, nCols, indptr, indices, data };
}
