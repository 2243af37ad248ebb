/**
 * Serving paths attached to loaded models: the hybrid gets its sparse serving path
 * (`src/models/hybrid/serve-candidates.ts`: component top lists from popularity orders, neighbour
 * lists and usearch HNSW indexes over the ALS and Item2Vec vectors, fused exactly as the full
 * path). Built once per loaded model version (≈ seconds for the ANN indexes).
 */
import { HybridRecommender } from '../../models/hybrid/hybrid.js';
import { HybridServing } from '../../models/hybrid/serve-candidates.js';
import type { ComponentServeOptions } from '../../models/hybrid/serve-components.js';
import type { Recommender } from '../../models/types.js';
import type { ServingRanker } from './candidates.js';

/**
 * The serving path of `model`, or undefined when it has none (full scoring / its own candidates).
 * Falls back to exact search when the usearch addon cannot load.
 */
export function servingFor(
  model: Recommender,
  opts: Partial<ComponentServeOptions> = {},
): ServingRanker | undefined {
  if (!(model instanceof HybridRecommender)) return undefined;
  try {
    return new HybridServing(model, opts);
  } catch (e) {
    if (opts.ann === 'exact') throw e;
    return new HybridServing(model, { ...opts, ann: 'exact' });
  }
}
