/** ANN indexes for candidate generation (exact reference + usearch HNSW). */
import type { AnnIndex } from './ann-index.js';
import { ExactIndex } from './ann-index.js';
import { type AnnKind, type UsearchOptions, UsearchIndex } from './usearch-index.js';

export { ExactIndex, recallAt, type AnnIndex, type AnnResult } from './ann-index.js';
export { UsearchIndex, type AnnKind, type UsearchOptions } from './usearch-index.js';

/** Builds an index of kind `kind` over row vectors n × dim. */
export function buildAnnIndex(
  kind: AnnKind,
  vectors: Float32Array,
  dim: number,
  opts: UsearchOptions = {},
): AnnIndex {
  return kind === 'exact' ? new ExactIndex(vectors, dim) : new UsearchIndex(vectors, dim, opts);
}
