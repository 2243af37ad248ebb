/**
 * Maximum-inner-product search over item vectors: one {@link AnnIndex} interface with an exact
 * brute-force reference ({@link ExactIndex}) and an HNSW index ({@link UsearchIndex}, usearch).
 * `hnswlib-node` would be the fallback HNSW backend (it compiles native code and is not installed
 * here); faiss-node cannot install on these machines (DESIGN.md §6).
 *
 * Vectors are row-major Float32Array n × dim, key = row index. With L2-normalised vectors inner
 * product = cosine similarity.
 */
import { RecError } from '../../../core/errors.js';
import { TopNScratch, topN } from '../../hybrid/top-n.js';

/** Result of a k-nearest search: keys (row indices) best first, with their inner products. */
export interface AnnResult {
  readonly keys: Int32Array;
  readonly scores: Float32Array;
}

/** A search index over row vectors, by inner product (higher = closer). */
export interface AnnIndex {
  readonly kind: 'exact' | 'usearch';
  readonly dim: number;
  /** Number of vectors indexed. */
  readonly size: number;
  /** The `k` rows with the largest inner product with `query` (fewer when size < k). */
  search(query: Float32Array, k: number): AnnResult;
  /** Approximate resident bytes of the index structure (vectors included). */
  memoryBytes(): number;
}

/** Checks `vectors` is n × dim with n ≥ 1 and returns n. */
export function rowsOf(vectors: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1)
    throw new RecError('USAGE', `ANN index needs a positive integer dimension, got ${dim}`);
  if (vectors.length === 0 || vectors.length % dim !== 0)
    throw new RecError(
      'DATA_INVALID',
      `ANN index: ${vectors.length} floats is not a whole number (≥ 1) of ${dim}-dim vectors`,
    );
  return vectors.length / dim;
}

export function checkQuery(query: Float32Array, dim: number, k: number): void {
  if (query.length !== dim)
    throw new RecError('USAGE', `ANN query has ${query.length} dims, the index has ${dim}`);
  if (!Number.isInteger(k) || k < 0)
    throw new RecError('USAGE', `ANN search needs a non-negative integer k, got ${k}`);
}

/**
 * Exact search: all n inner products then a size-k heap. The reference every ANN index is tested
 * against. Cost O(n·dim + n log k) per query; memory the vectors (not copied) + n scores.
 */
export class ExactIndex implements AnnIndex {
  readonly kind = 'exact';
  readonly size: number;
  private readonly scratch: Float32Array;
  private readonly heap = new TopNScratch(1);

  constructor(
    private readonly vectors: Float32Array,
    readonly dim: number,
  ) {
    this.size = rowsOf(vectors, dim);
    this.scratch = new Float32Array(this.size);
  }

  /** Inner products of `query` with every row into `out` (length size). */
  scoreAll(query: Float32Array, out: Float32Array = this.scratch): Float32Array {
    const d = this.dim;
    const v = this.vectors;
    for (let i = 0, o = 0; i < this.size; i++, o += d) {
      let s = 0;
      for (let j = 0; j < d; j++) s += query[j] * v[o + j];
      out[i] = s;
    }
    return out;
  }

  search(query: Float32Array, k: number): AnnResult {
    checkQuery(query, this.dim, k);
    const scores = this.scoreAll(query);
    const kk = Math.min(k, this.size);
    const keys = Int32Array.from(
      topN(scores, kk, null, this.heap.items.length >= kk ? this.heap : undefined),
    );
    return { keys, scores: Float32Array.from(keys, (i) => scores[i]) };
  }

  memoryBytes(): number {
    return this.vectors.byteLength + this.scratch.byteLength;
  }
}

/** Recall of `approx` against `exact` top lists: |approx ∩ exact| / |exact|. */
export function recallAt(approx: Int32Array, exact: Int32Array): number {
  if (exact.length === 0) return 1;
  const s = new Set(exact);
  let hit = 0;
  for (const k of approx) if (s.has(k)) hit++;
  return hit / exact.length;
}
