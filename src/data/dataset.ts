import type { EventTable } from '../core/events.js';
import type { IdMap } from '../core/ids.js';

/** Where a data set came from; named on the command line as `KIND:PATH`. */
export const DATASET_KINDS = ['retailrocket', 'synthetic', 'sessions', 'movielens', 'interactions'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export interface DatasetMeta {
  kind: DatasetKind;
  /** Human name, e.g. "retailrocket (sample)" or "synthetic small seed=42". */
  name: string;
  /** File or directory it was read from. */
  path: string;
  /** True for generated data: every output computed from it must say so. */
  synthetic: boolean;
  /** Stable content fingerprint (sha256 hex prefix of the source files' bytes or sizes+md5). */
  fingerprint: string;
  /** Rows skipped under `onBadRow: 'skip'`, per file. */
  skippedRows?: Record<string, number>;
  /** Free-form notes (e.g. "timestamps of training sessions are placeholders"). */
  notes?: string[];
}

/**
 * A loaded data set: events sorted by time, dense ids, and what else the source knows.
 * Category ids are the raw ids of the source (RetailRocket `categoryid`).
 */
export interface Dataset {
  meta: DatasetMeta;
  events: EventTable;
  users: IdMap;
  items: IdMap;
  /** Category tree, raw child id → raw parent id (-1 for a root). */
  categoryParent?: Map<number, number>;
  /**
   * Sessions given by the source (session benchmark): per event row, the session index.
   * Absent when sessions must be derived from time gaps.
   */
  session?: Int32Array;
  /**
   * A split fixed by the source (session benchmark): rows `[0, trainRows)` are training,
   * the rest test. Protocols must honour it.
   */
  predefinedSplit?: { trainRows: number };
  /** Explicit rating per row (MovieLens); implicit data sets leave it out. */
  rating?: Float32Array;
}

/** What a loader needs to know about malformed rows. */
export type BadRowPolicy = 'fail' | 'skip';

export interface LoadOptions {
  onBadRow?: BadRowPolicy;
  onProgress?: import('../core/progress.js').ProgressFn;
}
