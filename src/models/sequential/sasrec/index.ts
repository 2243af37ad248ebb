/** SASRec's registry entry and public surface; the lead wires `sasrecEntry` into the registry. */
import type { ModelEntry } from '../../registry.js';
import { SasRecConfigSchema } from './config.js';
import { SasRecRecommender } from './sasrec.js';

export { SasRecConfigSchema, type SasRecConfig } from './config.js';
export { SasRecRecommender } from './sasrec.js';
export { SasRecTraining } from './training.js';
export type { SasWeights } from './forward.js';

/** Registry entry `sasrec` (sequential family; planted check: groups). */
export const sasrecEntry: ModelEntry = {
  name: 'sasrec',
  family: 'sequential',
  description:
    'SASRec: causal self-attention over the session (or history), cross-entropy over ≥ 1,000 shared negatives or full softmax',
  planted: 'groups',
  configSchema: SasRecConfigSchema,
  create: (c) => new SasRecRecommender(c as never),
  fromArtifact: (a, c) => SasRecRecommender.fromArtifact(a, c as never),
};
