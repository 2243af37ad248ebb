/**
 * Session-kNN — SKNN and V-SKNN (Jannach & Ludewig 2017, "When recurrent neural networks meet the
 * neighborhood for session-based recommendation", RecSys; Ludewig & Jannach 2018, "Evaluation of
 * session-based recommendation algorithms", UMUAI). The strongest simple baseline on RetailRocket
 * sessions: recommend what the training sessions most similar to the current one contained.
 *
 * fit: builds the session index (`session-index.ts`) from `data.sessions` — no learning.
 * score: the kernel of `neighbours.ts` on the current session (the query suffix from
 * `sessionStart`; the whole history when that is empty), plus `popularityTieBreak` · pop(i)
 * (sessions holding i) so that items no neighbour holds, and empty queries, follow popularity.
 *
 * Cost: fit O(events log) time, O(Σ_s |items(s)|) memory; score per query as in `neighbours.ts`
 * (O(L·M + Σ_candidates |n| + nItems)).
 */
import { z } from 'zod';
import { RecError } from '../../../core/errors.js';
import { EventWeightsSchema, weightTable } from '../../common/event-weights.js';
import type { ModelEntry } from '../../registry.js';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../../types.js';
import { SknnScorer } from './neighbours.js';
import { buildSessionIndex, type SessionNeighbourIndex } from './session-index.js';
import { DecaySchema } from './weighting.js';

/** Config schema of a session-kNN variant (the two registry entries differ only in defaults). */
export function sknnConfigSchema(variant: 'sknn' | 'vsknn') {
  return z
    .object({
      variant: z.enum(['sknn', 'vsknn']).default(variant),
      /** Neighbour sessions used for scoring. */
      k: z.number().int().min(1).default(100),
      /** Most recent candidate sessions considered (0 = every session sharing an item). */
      sampleSize: z
        .number()
        .int()
        .min(0)
        .default(variant === 'vsknn' ? 1000 : 500),
      /** V-SKNN position weight of the current session's items in the similarity. */
      weighting: DecaySchema.default('div'),
      /** V-SKNN decay of a neighbour by the position of its most recent shared item. */
      scoreDecay: DecaySchema.default('div'),
      /** λ of the item score factor (1 + λ · idf); 0 = off. */
      idfWeighting: z.number().min(0).default(0),
      /** V-SKNN: multiply the similarity weights by idf. */
      idfSession: z.boolean().default(false),
      /** Keep the current session's own items as candidates (38 % of RetailRocket targets are). */
      remind: z.boolean().default(true),
      eventWeights: EventWeightsSchema.default({ view: 1, addtocart: 3, transaction: 5 }),
      popularityTieBreak: z.number().min(0).default(1e-6),
    })
    .strict();
}
export const SknnConfigSchema = sknnConfigSchema('sknn');
export type SknnConfig = z.infer<typeof SknnConfigSchema>;

export class SessionKnnRecommender implements Recommender {
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private index: SessionNeighbourIndex | undefined;
  private scorer: SknnScorer | undefined;

  constructor(
    readonly config: SknnConfig,
    readonly name: string = config.variant,
  ) {}

  get nItems(): number {
    return this.index?.pop.length ?? 0;
  }

  async fit(data: TrainData, _ctx: FitContext): Promise<void> {
    this.setIndex(buildSessionIndex(data));
  }

  private setIndex(index: SessionNeighbourIndex): void {
    this.index = index;
    this.scorer = new SknnScorer(index, this.config);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    if (!this.index || !this.scorer) {
      throw new RecError(
        'NOT_FITTED',
        `Model "${this.name}" is not fitted: call fit() or load an artifact first`,
      );
    }
    const n = this.nItems;
    const pop = this.index.pop;
    const tie = this.config.popularityTieBreak;
    const ew = weightTable(this.config.eventWeights);
    for (let q = 0; q < queries.length; q++) {
      const acc = this.scorer.score(currentSession(queries[q], n, ew));
      const base = q * n;
      for (let i = 0; i < n; i++) out[base + i] = acc[i] + tie * pop[i];
    }
  }

  toArtifact(): ModelArtifact {
    const ix = this.index;
    if (!ix) throw new RecError('NOT_FITTED', `Model "${this.name}" is not fitted: call fit() first`);
    return {
      model: this.name,
      config: this.config,
      state: { nItems: ix.pop.length },
      arrays: {
        sessionIndptr: ix.sessionItems.indptr,
        sessionItems: ix.sessionItems.indices,
        itemIndptr: ix.itemSessions.indptr,
        itemSessions: ix.itemSessions.indices,
        idf: ix.idf,
        pop: ix.pop,
      },
    };
  }

  static fromArtifact(a: ModelArtifact, config: SknnConfig): SessionKnnRecommender {
    const m = new SessionKnnRecommender(config, a.model);
    const nItems = Number(a.state.nItems);
    const sIdx = a.arrays.sessionItems as Int32Array;
    const iIdx = a.arrays.itemSessions as Int32Array;
    const sPtr = a.arrays.sessionIndptr as Int32Array;
    if (!sIdx || !iIdx || !sPtr)
      throw new RecError('ARTIFACT_INVALID', `Session-kNN artifact "${a.model}" lacks its session index`);
    m.setIndex({
      sessionItems: {
        nRows: sPtr.length - 1,
        nCols: nItems,
        indptr: sPtr,
        indices: sIdx,
        data: new Float32Array(sIdx.length).fill(1),
      },
      itemSessions: {
        nRows: nItems,
        nCols: sPtr.length - 1,
        indptr: a.arrays.itemIndptr as Int32Array,
        indices: iIdx,
        data: new Float32Array(iIdx.length).fill(1),
      },
      idf: a.arrays.idf as Float32Array,
      pop: a.arrays.pop as Float32Array,
    });
    return m;
  }
}

/** The query's current session (known items only, with event weights); the whole history if empty. */
export function currentSession(
  q: Query,
  nItems: number,
  ew: Float64Array,
): { items: Int32Array; weights: Float64Array } {
  const from = q.sessionStart > 0 && q.sessionStart < q.items.length ? q.sessionStart : 0;
  const items: number[] = [];
  const weights: number[] = [];
  for (let j = from; j < q.items.length; j++) {
    const it = q.items[j];
    if (it < 0 || it >= nItems) continue;
    items.push(it);
    weights.push(ew[q.events[j]] ?? 1);
  }
  return { items: Int32Array.from(items), weights: Float64Array.from(weights) };
}

function sknnEntryOf(variant: 'sknn' | 'vsknn', description: string): ModelEntry {
  const schema = sknnConfigSchema(variant);
  return {
    name: variant,
    family: 'sequential',
    description,
    planted: 'groups',
    configSchema: schema,
    create: (c) => new SessionKnnRecommender(c as SknnConfig, variant),
    fromArtifact: (a, c) => SessionKnnRecommender.fromArtifact(a, c as SknnConfig),
  };
}

/** Registry entry `sknn` (Jannach & Ludewig 2017): binary-cosine session neighbours. */
export const sknnEntry = sknnEntryOf(
  'sknn',
  'Session-kNN (SKNN): items of the most similar recent training sessions',
);
/** Registry entry `vsknn` (Ludewig & Jannach 2018): position-weighted V-SKNN. */
export const vsknnEntry = sknnEntryOf(
  'vsknn',
  'Vector session-kNN (V-SKNN): position-weighted session neighbours with recency decay',
);
