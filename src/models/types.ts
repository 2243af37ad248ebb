import type { EventTable } from '../core/events.js';
import type { Logger, ProgressFn } from '../core/progress.js';
import type { Rng } from '../core/rng.js';

/**
 * Training input shared by every model: the training events only (everything before the cut),
 * in dense index space. Models never see data from after `cutTime`.
 */
export interface TrainData {
  readonly nUsers: number;
  readonly nItems: number;
  /** Training events, sorted by time. */
  readonly events: EventTable;
  /** Sessions of the training events (rows grouped by session, time order inside). */
  readonly sessions: SessionIndex;
  /** Raw category id of each item as of the cut (-1 unknown); length nItems. */
  readonly itemCategory: Int32Array;
  /** Epoch ms; every training event is strictly before it. */
  readonly cutTime: number;
  /** True when the data is synthetic (recorded in every artifact). */
  readonly synthetic: boolean;
  /** Dataset fingerprint + split description (recorded in every artifact). */
  readonly fingerprint: string;
}

/** Events grouped into sessions: session s owns rows `rows[offsets[s] .. offsets[s+1])`. */
export interface SessionIndex {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** User index of each session. */
  readonly user: Int32Array;
}

/**
 * What a model is asked to score: a known user (with the history the system holds for them) or an
 * anonymous session. `items`/`events`/`ts` hold the history in time order, oldest first; the
 * current session is the suffix starting at `sessionStart`.
 */
export interface Query {
  /** Dense user index known at training time, or -1 (anonymous / cold user). */
  readonly user: number;
  readonly items: Int32Array;
  readonly events: Uint8Array;
  readonly ts?: Float64Array;
  /** Index in `items` where the current session starts (0 = the whole history is one session). */
  readonly sessionStart: number;
  /** Epoch ms at which the recommendation is asked for. */
  readonly time: number;
}

export interface Capabilities {
  /** Gives useful scores for users unseen at training time (from their history or fallback). */
  readonly coldUsers: boolean;
  /** Can score items unseen at training time. */
  readonly coldItems: boolean;
  /** Uses the query's session items. */
  readonly sessionInput: boolean;
  /** Provides item-to-item similarity. */
  readonly itemToItem: boolean;
  /** Supports incremental updates without full refit. */
  readonly incremental: boolean;
}

export interface FitContext {
  rng: Rng;
  onProgress?: ProgressFn;
  logger?: Logger;
  signal?: AbortSignal;
}

/** A typed array stored in a model artifact. */
export type ArtifactArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array;

/** Serialised model: JSON-able state + named binary arrays. Written as manifest.json + arrays.bin. */
export interface ModelArtifact {
  model: string;
  config: unknown;
  state: Record<string, unknown>;
  arrays: Record<string, ArtifactArray>;
}

/**
 * The one model interface. Models work on dense indices only; ranking (top-K, excluding seen
 * items, filters, id mapping) is shared code in `ranking.ts`.
 */
export interface Recommender {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Number of items scored (the training catalogue). */
  readonly nItems: number;
  /** Learns from the training data. Non-iterative models do all their work here. */
  fit(data: TrainData, ctx: FitContext): Promise<void>;
  /**
   * Writes `nItems` scores per query into `out[q * nItems + i]`. Higher is better; `-Infinity`
   * means "never recommend". Must equal scoring each query alone (contract-tested).
   */
  scoreBatch(queries: readonly Query[], out: Float32Array): void;
  toArtifact(): ModelArtifact;
}

/**
 * Optional: a model that can say what it learned in a few plain numbers (e.g. the hybrid's
 * per-stage weights), stored in the run record beside its metrics.
 */
export interface DescribesLearned {
  learned(): Record<string, unknown>;
}

/** `model.learned()` when the model has it, else undefined. */
export function learnedOf(model: Recommender): Record<string, unknown> | undefined {
  const m = model as Partial<DescribesLearned>;
  return typeof m.learned === 'function' ? m.learned() : undefined;
}

/** One epoch of work handed to the trainer by an iterative model. */
export interface EpochSession {
  /** Runs one pass over the training data; returns the mean training loss. */
  runEpoch(epoch: number): Promise<{ loss: number }>;
  /** Copies the current parameters (for keeping the best epoch). */
  snapshot(): unknown;
  /** Restores parameters taken by `snapshot`. */
  restore(snapshot: unknown): void;
  /** Releases training-only state (worker threads, optimiser moments). */
  finish(): void;
}

/**
 * A model trained in epochs. The one training loop in `training/trainer.ts` owns epochs, early
 * stopping, cancellation and NaN checks; the model supplies one epoch of work.
 */
export interface IterativeRecommender extends Recommender {
  readonly defaultEpochs: number;
  beginTraining(data: TrainData, ctx: FitContext): EpochSession;
}

export function isIterative(m: Recommender): m is IterativeRecommender {
  return typeof (m as Partial<IterativeRecommender>).beginTraining === 'function';
}
