/**
 * Random — the floor of every table: each (query, item) gets a pseudo-random score that depends
 * only on the seed, the query (user index, or the session items) and the item, so batch scores
 * equal single scores and refits with the same seed are identical.
 *
 * Cost: O(nItems) per query; memory O(1).
 */
import { z } from 'zod';
import type { FitContext, ModelArtifact, Query, Recommender, TrainData } from '../../types.js';
import { RecError } from '../../../core/errors.js';

export const RandomConfigSchema = z.object({ seed: z.number().int().default(0) }).strict();
export type RandomConfig = z.infer<typeof RandomConfigSchema>;

/** 32-bit integer mix (murmur3 finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class RandomRecommender implements Recommender {
  readonly name = 'random';
  readonly capabilities = {
    coldUsers: true,
    coldItems: true,
    sessionInput: false,
    itemToItem: false,
    incremental: true,
  } as const;
  private n = -1;

  constructor(readonly config: RandomConfig) {}

  get nItems(): number {
    return Math.max(this.n, 0);
  }

  async fit(data: TrainData, _ctx: FitContext): Promise<void> {
    this.n = data.nItems;
  }

  scoreBatch(queries: readonly Query[], out: Float32Array): void {
    if (this.n < 0)
      throw new RecError('NOT_FITTED', 'Model "random" is not fitted: call fit() or load an artifact first');
    const n = this.n;
    for (let q = 0; q < queries.length; q++) {
      const query = queries[q];
      let h = mix(this.config.seed ^ 0x5bd1e995);
      if (query.user >= 0) h = mix(h ^ (query.user + 1));
      else for (let j = 0; j < query.items.length; j++) h = mix(h ^ (query.items[j] + 0x9e3779b9));
      const base = q * n;
      for (let i = 0; i < n; i++) out[base + i] = mix(h ^ Math.imul(i + 1, 0x27d4eb2d)) / 4294967296;
    }
  }

  toArtifact(): ModelArtifact {
    return { model: this.name, config: this.config, state: { nItems: this.n }, arrays: {} };
  }

  static fromArtifact(a: ModelArtifact, config: RandomConfig): RandomRecommender {
    const m = new RandomRecommender(config);
    m.n = Number(a.state.nItems);
    return m;
  }
}
