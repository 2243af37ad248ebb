/**
 * HNSW (Malkov & Yashunin 2018) inner-product index backed by usearch (prebuilt native addon,
 * `usearch@2.25.3`, the last version for Node 20). Keys are row indices. Build O(n log n · M·dim),
 * query ≈ O(ef · M · dim · log n); memory ≈ n · (4·dim + ~2·M·8) bytes.
 *
 * Tuning: `connectivity` (M, graph degree), `expansionAdd` (ef_construction) and
 * `expansionSearch` (ef at query time; raise it for recall, it costs latency). With
 * `hnswlib-node` installed the same interface could wrap it (fallback; not installed here).
 */
import { createRequire } from 'node:module';
import { RecError } from '../../../core/errors.js';
import { type AnnIndex, type AnnResult, checkQuery, rowsOf } from './ann-index.js';

export interface UsearchOptions {
  /** HNSW degree M (default 16). */
  connectivity?: number;
  /** ef at construction (default 128). */
  expansionAdd?: number;
  /** ef at search (default 128; always at least k). */
  expansionSearch?: number;
  /** Build threads (0 = usearch's choice, all cores). */
  threads?: number;
}

interface UsearchMatches {
  keys: BigUint64Array;
  distances: Float32Array;
}
interface UsearchNative {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(v: Float32Array, k: number, threads: number): UsearchMatches;
  size(): number;
  save(path: string): void;
  load(path: string): void;
}
type UsearchCtor = new (cfg: Record<string, unknown>) => UsearchNative;

let ctor: UsearchCtor | undefined;
function loadUsearch(): UsearchCtor {
  if (ctor) return ctor;
  try {
    const mod = createRequire(import.meta.url)('usearch') as { Index: UsearchCtor };
    ctor = mod.Index;
    return ctor;
  } catch (e) {
    throw new RecError(
      'USAGE',
      'The usearch ANN backend could not load: install usearch@2.25.3 (or use the exact index)',
      undefined,
      e,
    );
  }
}

/** usearch HNSW index over `vectors` (n × dim) with metric inner product (distance = 1 − dot). */
export class UsearchIndex implements AnnIndex {
  readonly kind = 'usearch';
  readonly size: number;
  private readonly index: UsearchNative;
  private readonly connectivity: number;

  /** Builds the index over `vectors` (n × dim); `vectors === null` makes an empty one (for `load`). */
  constructor(
    vectors: Float32Array | null,
    readonly dim: number,
    opts: UsearchOptions = {},
  ) {
    this.connectivity = opts.connectivity ?? 16;
    const Index = loadUsearch();
    this.index = new Index({
      dimensions: dim,
      metric: 'ip',
      quantization: 'f32',
      connectivity: this.connectivity,
      expansion_add: opts.expansionAdd ?? 128,
      expansion_search: opts.expansionSearch ?? 128,
      multi: false,
    });
    if (!vectors) {
      this.size = 0;
      return;
    }
    this.size = rowsOf(vectors, dim);
    const keys = new BigUint64Array(this.size);
    for (let i = 0; i < this.size; i++) keys[i] = BigInt(i);
    this.index.add(keys, vectors, opts.threads ?? 0);
  }

  /** Writes the graph and vectors to `path` (usearch's binary format). */
  save(path: string): void {
    this.index.save(path);
  }

  /**
   * Loads an index saved by {@link save}; `opts.expansionSearch` applies to the loaded graph, so
   * one build can be searched at several ef values (the graph does not depend on it).
   */
  static load(path: string, dim: number, opts: UsearchOptions = {}): UsearchIndex {
    const idx = new UsearchIndex(null, dim, opts);
    idx.index.load(path);
    (idx as { size: number }).size = idx.index.size();
    return idx;
  }

  search(query: Float32Array, k: number): AnnResult {
    checkQuery(query, this.dim, k);
    const kk = Math.min(k, this.size);
    if (kk === 0) return { keys: new Int32Array(0), scores: new Float32Array(0) };
    const m = this.index.search(query, kk, 1);
    const n = m.keys.length;
    const keys = new Int32Array(n);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = Number(m.keys[i]);
      scores[i] = 1 - m.distances[i];
    }
    return { keys, scores };
  }

  /** Vectors + the HNSW links (≈ 2·M neighbours on level 0, 4-byte slots plus headers). */
  memoryBytes(): number {
    return this.size * (4 * this.dim + 2 * this.connectivity * 4 + 16);
  }
}

/** Which index to build. */
export type AnnKind = 'exact' | 'usearch';
