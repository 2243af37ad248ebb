/**
 * The explicit model registry: name → config schema, constructor and artifact loader.
 * No decorators, no file-system scanning; later model families add their entry here.
 */
import type { z } from 'zod';
import { RecError } from '../core/errors.js';
import { parseConfig } from './common/config.js';
import { PopularConfigSchema, PopularRecommender, popularConfigSchema } from './baselines/popular/popular.js';
import { RandomConfigSchema, RandomRecommender } from './baselines/random/random.js';
import type { ModelArtifact, Recommender } from './types.js';
import { alsEntry } from './collaborative/als/als.js';
import { bprEntry } from './collaborative/bpr/bpr.js';
import { itemcfEntry } from './collaborative/itemcf/itemcf.js';
import { item2vecEntry } from './content/item2vec/index.js';
import { usercfEntry } from './collaborative/usercf/usercf.js';
import { sknnEntry, vsknnEntry } from './sequential/sknn/sknn.js';
import { markovEntry } from './sequential/markov/markov.js';
import { hybridEntry, hybridStaticEntry } from './hybrid/hybrid.js';
import { ncfEntry } from './collaborative/ncf/index.js';
import { twoTowerEntry } from './retrieval/two-tower/index.js';
import { gru4recEntry } from './sequential/gru4rec/index.js';
import { sasrecEntry } from './sequential/sasrec/index.js';

export interface ModelEntry<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly family: 'baseline' | 'collaborative' | 'content' | 'sequential' | 'retrieval' | 'hybrid';
  readonly description: string;
  readonly configSchema: S;
  /**
   * What the contract suite expects on planted data: `popularity` ranks the most interacted item
   * first, `groups` keeps each user's recommendations inside their own item group, `none` (random)
   * shows no structure.
   */
  readonly planted: 'popularity' | 'groups' | 'none';
  create(config: z.infer<S>): Recommender;
  fromArtifact(artifact: ModelArtifact, config: z.infer<S>): Recommender;
}

function entry<S extends z.ZodType>(e: ModelEntry<S>): ModelEntry {
  return e as unknown as ModelEntry;
}

const ENTRIES: readonly ModelEntry[] = [
  entry({
    name: 'popular',
    family: 'baseline',
    description: 'Most popular items before the cut (event-weighted counts)',
    planted: 'popularity',
    configSchema: PopularConfigSchema,
    create: (c) => new PopularRecommender(c, 'popular'),
    fromArtifact: (a, c) => PopularRecommender.fromArtifact(a, c),
  }),
  entry({
    name: 'popular-decay',
    family: 'baseline',
    description: 'Time-decayed popularity (half-life 7 days by default)',
    planted: 'popularity',
    configSchema: popularConfigSchema({ mode: 'global', halfLifeDays: 7 }),
    create: (c) => new PopularRecommender(c, 'popular-decay'),
    fromArtifact: (a, c) => PopularRecommender.fromArtifact(a, c),
  }),
  entry({
    name: 'popular-category',
    family: 'baseline',
    description: "Time-decayed popularity re-weighted by the user's category interests",
    planted: 'groups',
    configSchema: popularConfigSchema({ mode: 'category', halfLifeDays: 7 }),
    create: (c) => new PopularRecommender(c, 'popular-category'),
    fromArtifact: (a, c) => PopularRecommender.fromArtifact(a, c),
  }),
  entry({
    name: 'random',
    family: 'baseline',
    description: 'Uniformly random ranking (seeded)',
    planted: 'none',
    configSchema: RandomConfigSchema,
    create: (c) => new RandomRecommender(c),
    fromArtifact: (a, c) => RandomRecommender.fromArtifact(a, c),
  }),
  itemcfEntry,
  usercfEntry,
  alsEntry,
  bprEntry,
  item2vecEntry,
  ncfEntry,
  twoTowerEntry,
  sknnEntry,
  vsknnEntry,
  markovEntry,
  gru4recEntry,
  sasrecEntry,
  hybridStaticEntry,
  hybridEntry,
];

const BY_NAME = new Map(ENTRIES.map((e) => [e.name, e]));

/** Every registered model, in a stable order. */
export function listModels(): readonly ModelEntry[] {
  return ENTRIES;
}

export function getModelEntry(name: string): ModelEntry {
  const e = BY_NAME.get(name);
  if (!e) {
    throw new RecError(
      'UNKNOWN_MODEL',
      `Unknown model "${name}". Registered models: ${ENTRIES.map((x) => x.name).join(', ')}`,
    );
  }
  return e;
}

/** Builds a model from its registry name and a (partial) config; unknown keys are errors. */
export function createModel(name: string, rawConfig: unknown = {}): Recommender {
  const e = getModelEntry(name);
  return e.create(parseConfig(name, e.configSchema, rawConfig));
}

/** Restores a model from its artifact (config re-validated against the schema). */
export function modelFromArtifact(artifact: ModelArtifact): Recommender {
  const e = getModelEntry(artifact.model);
  return e.fromArtifact(artifact, parseConfig(artifact.model, e.configSchema, artifact.config));
}

/** The effective config of `name` after defaults (what every run record stores). */
export function effectiveConfig(name: string, rawConfig: unknown = {}): unknown {
  const e = getModelEntry(name);
  return parseConfig(name, e.configSchema, rawConfig);
}
