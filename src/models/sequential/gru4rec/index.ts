/** GRU4Rec's registry entry and public surface; the lead wires `gru4recEntry` into the registry. */
import type { ModelEntry } from '../../registry.js';
import { Gru4RecConfigSchema } from './config.js';
import { Gru4RecRecommender } from './gru4rec.js';

export { Gru4RecConfigSchema, type Gru4RecConfig } from './config.js';
export { Gru4RecRecommender } from './gru4rec.js';
export { Gru4RecTraining, trainingSessions } from './training.js';
export type { GruWeights } from './forward.js';

/** Registry entry `gru4rec` (sequential family; planted check: groups). */
export const gru4recEntry: ModelEntry = {
  name: 'gru4rec',
  family: 'sequential',
  description:
    'GRU4Rec: session-parallel GRU with BPR-max / cross-entropy over shared popularity^α negatives (official design and defaults)',
  planted: 'groups',
  configSchema: Gru4RecConfigSchema,
  create: (c) => new Gru4RecRecommender(c as never),
  fromArtifact: (a, c) => Gru4RecRecommender.fromArtifact(a, c as never),
};
