/**
 * Item2Vec's registry entry and public surface. The lead wires `item2vecEntry` into
 * `models/registry.ts`.
 */
import type { ModelEntry } from '../../registry.js';
import { Item2VecConfigSchema } from './config.js';
import { Item2VecRecommender } from './item2vec.js';

export { Item2VecConfigSchema, type Item2VecConfig } from './config.js';
export { Item2VecRecommender, type SimilarItems } from './item2vec.js';

/** Registry entry `item2vec` (content family; planted check: groups). */
export const item2vecEntry: ModelEntry = {
  name: 'item2vec',
  family: 'content',
  description: 'Item2Vec: skip-gram with negative sampling over sessions, cosine to the session mean',
  planted: 'groups',
  configSchema: Item2VecConfigSchema,
  create: (c) => new Item2VecRecommender(c as never),
  fromArtifact: (a, c) => Item2VecRecommender.fromArtifact(a, c as never),
};
