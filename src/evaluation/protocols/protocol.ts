import type { DatasetMeta } from '../../data/dataset.js';
import type { EvalCase } from '../types.js';
import type { TrainSplit } from './train-data.js';

export const PROTOCOLS = ['p1', 'p2', 'p3'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/** One train → evaluate stage of a protocol (validation for model selection, or test). */
export interface ProtocolStage {
  train: TrainSplit;
  /** The main cases. */
  cases: EvalCase[];
  /** Extra case sets reported beside the main table (e.g. targets of one event type). */
  breakdowns: Record<string, EvalCase[]>;
  /** Time window of the targets, epoch ms. */
  from: number;
  to: number;
}

export interface PreparedProtocol {
  protocol: ProtocolName;
  /** One line saying exactly what was done. */
  description: string;
  dataset: DatasetMeta;
  /** The effective protocol config (stored in every result). */
  config: Record<string, unknown>;
  validation: ProtocolStage;
  test: ProtocolStage;
  /** Counts worth reporting (dropped cases, users, …). */
  counts: Record<string, number>;
}
