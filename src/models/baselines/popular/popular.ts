/**
 * Popular — the baseline every table carries.
 *
 * score(i) = Σ_{events e on i, ts < cut} w(type e) · 2^(-(cut − ts_e) / halfLife)   (global mode)
 *
 * In `category` mode the global popularity is re-weighted by the query's interest in the item's
 * category: score(i) = (share_q(cat i) + λ) · pop(i) / max pop, where share_q is the (event-weighted)
 * share of the query history in that category. Users with no history get the global ranking.
 *
 * Cost: fit O(events); score O(nItems + |history|) per query; memory O(nItems).
 */
import { z } from 'zod';
import { EventWeightsSchema, decayFactor, weightTable } from '../../common/event-weights.js';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../../types.js';
import { requireFitted } from '../../common/fitted.js';

/** Config schema of a Popular variant; `defaults` sets the variant's mode and decay. */
export function popularConfigSchema(defaults: { mode: 'global' | 'category'; halfLifeDays: number | null }) {
  return z
    .object({
      mode: z.enum(['global', 'category']).default(defaults.mode),
      /** Half-life of the time decay in days; null = plain counts. */
      halfLifeDays: z.number().positive().nullable().default(defaults.halfLifeDays),
      eventWeights: EventWeightsSchema.default({ view: 1, addtocart: 3, transaction: 5 }),
      /** Smoothing λ of the category mode: how much global popularity counts outside the user's categories. */
      categorySmoothing: z.number().min(0).default(0.05),
    })
    .strict();
}
export const PopularConfigSchema = popularConfigSchema({ mode: 'global', halfLifeDays: null });
export type PopularConfig = z.infer<typeof PopularConfigSchema>;

export class PopularRecommender implements Recommender {
  readonly name: string;
  readonly capabilities = {
    coldUsers: true,
    coldItems: false,
    sessionInput: true,
    itemToItem: false,
    incremental: false,
  } as const;
  private pop: Float32Array | undefined;
  private itemCategory: Int32Array | undefined;

  constructor(
    readonly config: PopularConfig,
    name = 'popular',
  ) {
    this.name = name;
  }

  get nItems(): number {
    return this.pop?.length ?? 0;
  }

  async fit(data: TrainData, _ctx: FitContext): Promise<void> {
    const { events } = data;
    const w = weightTable(this.config.eventWeights);
    const acc = new Float64Array(data.nItems);
    for (let r = 0; r < events.length; r++) {
      acc[events.item[r]] +=
        w[events.event[r]] * decayFactor(data.cutTime, events.ts[r], this.config.halfLifeDays);
    }
    let max = 0;
    for (let i = 0; i < acc.length; i++) if (acc[i] > max) max = acc[i];
    const pop = new Float32Array(data.nItems);
    // Normalised to [0, 1] so that float32 keeps the order of large decayed sums.
    if (max > 0) for (let i = 0; i < acc.length; i++) pop[i] = acc[i] / max;
    this.pop = pop;
    this.itemCategory = Int32Array.from(data.itemCategory);
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    const pop = this.requireFitted();
    const n = pop.length;
    for (let q = 0; q < queries.length; q++) {
      const row = out.subarray(q * n, (q + 1) * n);
      if (this.config.mode === 'category' && queries[q].items.length > 0) this.scoreCategory(queries[q], row);
      else row.set(pop);
    }
  }

  private scoreCategory(query: Query, row: Float32Array): void {
    const pop = this.pop!;
    const cat = this.itemCategory!;
    const w = weightTable(this.config.eventWeights);
    const share = new Map<number, number>();
    let total = 0;
    for (let j = 0; j < query.items.length; j++) {
      const it = query.items[j];
      if (it < 0 || it >= pop.length) continue;
      const c = cat[it];
      if (c < 0) continue;
      const v = w[query.events[j]] ?? 1;
      share.set(c, (share.get(c) ?? 0) + v);
      total += v;
    }
    const lambda = this.config.categorySmoothing;
    for (let i = 0; i < pop.length; i++) {
      const s = total > 0 ? (share.get(cat[i]) ?? 0) / total : 0;
      row[i] = (s + lambda) * pop[i];
    }
  }

  private requireFitted(): Float32Array {
    return requireFitted(this.pop, this.name);
  }

  toArtifact(): ModelArtifact {
    return {
      model: this.name,
      config: this.config,
      state: {},
      arrays: { pop: this.requireFitted(), itemCategory: this.itemCategory! },
    };
  }

  static fromArtifact(a: ModelArtifact, config: PopularConfig): PopularRecommender {
    const m = new PopularRecommender(config, a.model);
    m.pop = a.arrays.pop as Float32Array;
    m.itemCategory = a.arrays.itemCategory as Int32Array;
    return m;
  }
}
