import type { Query } from '../models/types.js';

/** Labels of a case used for breakdowns (e.g. funnel stage, warm/cold, target event type). */
export type CaseGroups = Record<string, string>;

/**
 * One evaluation case: what the model is asked (`query`) and what really happened after
 * (`targets`, distinct item indices). Protocols build cases from data strictly after the cut.
 */
export interface EvalCase {
  readonly query: Query;
  readonly targets: Int32Array;
  /** Items never to recommend for this case (e.g. already seen, when the protocol excludes them). */
  readonly exclude?: Int32Array;
  readonly groups: CaseGroups;
}

/** The part of a model the evaluator needs. */
export interface Scorer {
  readonly name: string;
  readonly nItems: number;
  scoreBatch(queries: readonly Query[], out: Float32Array): void;
}
